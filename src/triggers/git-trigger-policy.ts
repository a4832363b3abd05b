/**
 * The rules of git triggers that users need explained, as constants shared by the matcher, config
 * validation and the docs.
 */

/** Actions a `pull_request` trigger fires on when it lists none. */
export const DEFAULT_PULL_REQUEST_ACTIONS: readonly string[] = ['opened', 'synchronize', 'reopened'];

/** Actions a `release` trigger fires on when it lists none. */
export const DEFAULT_RELEASE_ACTIONS: readonly string[] = ['published'];

/** The non-match reason of a `paths` filter on a pull_request delivery. */
export const PULL_REQUEST_PATHS_REASON = 'pull_request payloads carry no changed paths; use a push trigger or drop paths';

export const PULL_REQUEST_PATHS_EXPLANATION =
  'GitHub pull_request deliveries do not list the files a pull request changes (only push deliveries ' +
  'do, in commits[].added/modified/removed). A git trigger with `paths` therefore never matches a ' +
  'pull_request delivery: trigger on `push` to the pull request branches instead, or drop `paths`.';

export const TAG_DELIVERY_EXPLANATION =
  'Creating a tag makes GitHub send two deliveries: a `push` of refs/tags/<tag> and a `create` with ' +
  'ref_type tag (deleting one sends `push` with deleted=true and `delete`). `tag` triggers fire on the ' +
  'push delivery only, so one tag starts one run; create and delete deliveries are ignored. A tag push ' +
  'that moves an existing tag to another commit is a tag event too.';

export const GLOB_LIST_EXPLANATION =
  'branches, tags, paths and repository take glob lists; a pattern starting with `!` negates. A value ' +
  'matches the list when at least one positive pattern matches it (or the list has only negations) and ' +
  'no negation matches it. `*` stops at `/`, `**` crosses it. For paths, the trigger matches when at ' +
  'least one changed path matches the list.';
