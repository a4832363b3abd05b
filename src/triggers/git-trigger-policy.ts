/**
 * The rules of git triggers that users need explained, as constants shared by the matcher and
 * config validation.
 */

/** Actions a `pull_request` trigger fires on when it lists none. */
export const DEFAULT_PULL_REQUEST_ACTIONS: readonly string[] = ['opened', 'synchronize', 'reopened'];

/** Actions a `release` trigger fires on when it lists none. */
export const DEFAULT_RELEASE_ACTIONS: readonly string[] = ['published'];

/** The non-match reason of a `paths` filter on a pull_request delivery. */
export const PULL_REQUEST_PATHS_REASON = 'pull_request payloads carry no changed paths; use a push trigger or drop paths';

export const PULL_REQUEST_PATHS_EXPLANATION =
  'Pull request deliveries do not list the files a pull request changes (push deliveries do, on ' +
  'the forges that send file lists). A git trigger with `paths` therefore never matches a ' +
  'pull_request delivery: trigger on `push` to the pull request branches instead, or drop `paths`.';
