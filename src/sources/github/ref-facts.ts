/**
 * GitFacts of `create` and `delete` deliveries (`ref_type` tag or branch; `ref` is the short name).
 * A tag is kind `tag`, a branch kind `other`: GitHub sends a `push` delivery for the same change,
 * and triggers fire on that one only, so one change never starts two runs.
 */
import type { GitFacts } from '../../events/event.ts';
import { requiredString } from './fields.ts';
import type { GithubBaseFacts } from './base-facts.ts';

export function refFacts(name: 'create' | 'delete', payload: unknown, base: GithubBaseFacts): GitFacts {
  const ref = requiredString(payload, ['ref'], name);
  const refType = requiredString(payload, ['ref_type'], name);
  const flags = { deleted: name === 'delete', created: name === 'create' };
  if (refType === 'tag') return { ...base, ...flags, kind: 'tag', ref: `refs/tags/${ref}`, tag: ref };
  if (refType === 'branch') return { ...base, ...flags, kind: 'other', ref: `refs/heads/${ref}`, branch: ref };
  return { ...base, ...flags, kind: 'other' };
}
