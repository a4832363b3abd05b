/**
 * GitFacts of a `pull_request` delivery. `action` is `merged` when a pull request was closed by
 * merging it. `branch` is the base branch (what `branches` filters see), `sha` the head commit, and
 * `ref` is `refs/pull/<number>/head`, which resolves to that commit in the base repository even for
 * pull requests from forks. The payload lists no files, so `changedPaths` is left out.
 */
import type { GitFacts } from '../../events/event.ts';
import { optionalBoolean, optionalString, requiredInteger, requiredString } from './fields.ts';
import type { GithubBaseFacts } from './base-facts.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';

const EVENT = 'pull_request';

export function pullRequestFacts(payload: unknown, base: GithubBaseFacts): GitFacts {
  const action = requiredString(payload, ['action'], EVENT);
  const number = requiredInteger(payload, ['pull_request', 'number'], EVENT);
  const headSha = requiredString(payload, ['pull_request', 'head', 'sha'], EVENT);
  const headRef = requiredString(payload, ['pull_request', 'head', 'ref'], EVENT);
  const baseRef = requiredString(payload, ['pull_request', 'base', 'ref'], EVENT);
  const merged = optionalBoolean(payload, ['pull_request', 'merged']);
  const before = optionalString(payload, ['before']);
  return withoutUndefined<GitFacts>({
    ...base,
    kind: 'pull_request',
    action: action === 'closed' && merged ? 'merged' : action,
    ref: `refs/pull/${number}/head`,
    branch: baseRef,
    sha: headSha,
    shortSha: headSha.slice(0, 7),
    before,
    deleted: false,
    created: false,
    pullRequest: {
      number,
      title: optionalString(payload, ['pull_request', 'title']) ?? '',
      headRef,
      headSha,
      baseRef,
      merged,
    },
  });
}
