/**
 * GitFacts of a `push` delivery. A push to `refs/heads/*` is kind `push`, to `refs/tags/*` kind
 * `tag`; anything else (`refs/notes/*`, …) is `other`. An all-zero `before`/`after` (creation,
 * deletion) means "no commit" and is left out.
 */
import type { GitFacts } from '../../events/event.ts';
import { changedPaths } from './changed-paths.ts';
import { optionalBoolean, optionalString, requiredString } from './fields.ts';
import type { GithubBaseFacts } from './base-facts.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';

const NO_COMMIT = /^0+$/;
const BRANCH_PREFIX = 'refs/heads/';
const TAG_PREFIX = 'refs/tags/';

function commit(payload: unknown, key: string): string | undefined {
  const sha = optionalString(payload, [key]);
  return sha === undefined || NO_COMMIT.test(sha) ? undefined : sha;
}

export function pushFacts(payload: unknown, base: GithubBaseFacts): GitFacts {
  const ref = requiredString(payload, ['ref'], 'push');
  const deleted = optionalBoolean(payload, ['deleted']);
  const branch = ref.startsWith(BRANCH_PREFIX) ? ref.slice(BRANCH_PREFIX.length) : undefined;
  const tag = ref.startsWith(TAG_PREFIX) ? ref.slice(TAG_PREFIX.length) : undefined;
  const sha = deleted ? undefined : commit(payload, 'after');
  return withoutUndefined<GitFacts>({
    ...base,
    kind: branch !== undefined ? 'push' : tag !== undefined ? 'tag' : 'other',
    ref,
    branch,
    tag,
    sha,
    shortSha: sha?.slice(0, 7),
    before: commit(payload, 'before'),
    deleted,
    created: optionalBoolean(payload, ['created']),
    actor: base.actor ?? optionalString(payload, ['pusher', 'name']),
    changedPaths: changedPaths(payload),
    headCommitMessage: optionalString(payload, ['head_commit', 'message']),
  });
}
