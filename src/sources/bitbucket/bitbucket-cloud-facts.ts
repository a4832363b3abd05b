/**
 * GitFacts of Bitbucket Cloud's deliveries. `repo:push` brings branches and tags alike, one
 * `push.changes[]` entry per ref (`new` null: deleted; `created`: new ref); the source asks for
 * these facts one change at a time (bitbucket-source.ts), a push of several refs being several
 * events. Its commits list no files, so changed paths are unknown and marked so. Pull requests:
 * `pullrequest:created` → opened, `:updated` → synchronize (Bitbucket sends it for new commits and
 * for edits alike and does not say which), `:fulfilled` → merged, `:rejected` → closed. The pull
 * request's commit hashes are 12-character abbreviations, as Bitbucket sends them.
 */
import { MalformedEventError } from '../../errors.ts';
import type { GitFacts } from '../../events/event.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';
import { fieldAt, payloadFields } from '../webhook/payload-fields.ts';

const PULL_REQUEST_ACTIONS: Readonly<Record<string, string>> = {
  'pullrequest:created': 'opened',
  'pullrequest:updated': 'synchronize',
  'pullrequest:fulfilled': 'merged',
  'pullrequest:rejected': 'closed',
};

export const NO_FILES = 'Bitbucket Cloud push payloads list no changed files';

type Base = Pick<GitFacts, 'provider' | 'event' | 'viaPush' | 'repository' | 'repositoryUrl' | 'actor'>;

export function bitbucketCloudFacts(event: string, payload: Readonly<Record<string, unknown>>): GitFacts {
  const read = payloadFields('bitbucket-cloud', event);
  const actor = read.optionalString(payload, ['actor', 'nickname']) ?? read.optionalString(payload, ['actor', 'display_name']);
  const base = (viaPush: boolean): Base =>
    withoutUndefined<Base>({
      provider: 'bitbucket-cloud',
      event,
      viaPush,
      repository: read.string(payload, ['repository', 'full_name']),
      repositoryUrl: read.optionalString(payload, ['repository', 'links', 'html', 'href']),
      actor,
    });
  if (event === 'repo:push') {
    const changes = fieldAt(payload, ['push', 'changes']);
    if (!Array.isArray(changes) || changes.length === 0) throw new MalformedEventError(`bitbucket-cloud ${event} payload has no push.changes`);
    const change: unknown = changes[0];
    const created = read.flag(change, ['created']);
    const deleted = fieldAt(change, ['new']) === null;
    const ref = deleted ? ['old'] : ['new'];
    const type = read.string(change, [...ref, 'type']);
    const refName = read.string(change, [...ref, 'name']);
    const sha = deleted ? undefined : read.string(change, ['new', 'target', 'hash']);
    const isTag = type === 'tag' || type === 'annotated_tag';
    return withoutUndefined<GitFacts>({
      ...base(true),
      kind: isTag ? 'tag' : type === 'branch' ? 'push' : 'other',
      ref: `${isTag ? 'refs/tags/' : 'refs/heads/'}${refName}`,
      branch: isTag ? undefined : refName,
      tag: isTag ? refName : undefined,
      sha,
      shortSha: sha?.slice(0, 7),
      before: created ? undefined : read.optionalString(change, ['old', 'target', 'hash']),
      deleted,
      created,
      changedPathsIncomplete: NO_FILES,
      headCommitMessage: read.optionalString(change, ['new', 'target', 'message']),
    });
  }
  const action = PULL_REQUEST_ACTIONS[event];
  if (action !== undefined) {
    const pr = (...path: string[]) => ['pullrequest', ...path];
    const number = read.integer(payload, pr('id'));
    const headSha = read.string(payload, pr('source', 'commit', 'hash'));
    const baseRef = read.string(payload, pr('destination', 'branch', 'name'));
    const sourceRepo = read.optionalString(payload, pr('source', 'repository', 'full_name'));
    const targetRepo = read.optionalString(payload, pr('destination', 'repository', 'full_name'));
    return withoutUndefined<GitFacts>({
      ...base(false),
      kind: 'pull_request',
      action,
      ref: `refs/heads/${read.string(payload, pr('source', 'branch', 'name'))}`,
      branch: baseRef,
      sha: headSha,
      shortSha: headSha.slice(0, 7),
      deleted: false,
      created: false,
      pullRequest: {
        number,
        title: read.optionalString(payload, pr('title')) ?? '',
        headRef: read.string(payload, pr('source', 'branch', 'name')),
        headSha,
        baseRef,
        merged: action === 'merged',
        fromFork: sourceRepo !== targetRepo,
      },
    });
  }
  return withoutUndefined<GitFacts>({ ...base(false), kind: 'other', deleted: false, created: false });
}
