/**
 * GitFacts of a `release` delivery: kind `release`, `tag` and `ref` from `release.tag_name`.
 * `sha` is set only when `target_commitish` is a full commit id (it is usually a branch name).
 */
import type { GitFacts } from '../../events/event.ts';
import { optionalBoolean, optionalString, requiredString } from './fields.ts';
import type { GithubBaseFacts } from './base-facts.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';

const EVENT = 'release';
const FULL_SHA = /^[0-9a-f]{40}$/;

export function releaseFacts(payload: unknown, base: GithubBaseFacts): GitFacts {
  const action = requiredString(payload, ['action'], EVENT);
  const tag = requiredString(payload, ['release', 'tag_name'], EVENT);
  const commitish = optionalString(payload, ['release', 'target_commitish']);
  const sha = commitish !== undefined && FULL_SHA.test(commitish) ? commitish : undefined;
  return withoutUndefined<GitFacts>({
    ...base,
    kind: 'release',
    action,
    ref: `refs/tags/${tag}`,
    tag,
    sha,
    shortSha: sha?.slice(0, 7),
    deleted: false,
    created: false,
    release: {
      tag,
      name: optionalString(payload, ['release', 'name']) || tag,
      prerelease: optionalBoolean(payload, ['release', 'prerelease']),
    },
  });
}
