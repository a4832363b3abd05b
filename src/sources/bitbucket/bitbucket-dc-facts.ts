/**
 * GitFacts of Bitbucket Data Center's deliveries. The repository is `<project key>/<slug>`
 * (`ACME/shop`; a personal project's key starts with `~`). `repo:refs_changed` lists refs with
 * from/to hashes (`ADD`, `UPDATE`, `DELETE`) and no commits or files: changed paths are unknown
 * and marked so. The source gives these facts one change at a time (bitbucket-source.ts), a push
 * of several refs being several events. Pull requests: `pr:opened` → opened, `pr:from_ref_updated` → synchronize,
 * `pr:reopened` → reopened, `pr:modified` → edited, `pr:merged` → merged, `pr:declined` →
 * closed. `diagnostics:ping` (the hook's "Test connection") is answered and starts nothing.
 */
import { MalformedEventError } from '../../errors.ts';
import type { GitFacts } from '../../events/event.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';
import { commitOrNone } from '../webhook/no-commit.ts';
import { fieldAt, payloadFields, type PayloadFields } from '../webhook/payload-fields.ts';
import type { WebhookReply } from '../webhook/webhook-source.ts';

const PULL_REQUEST_ACTIONS: Readonly<Record<string, string>> = {
  'pr:opened': 'opened',
  'pr:from_ref_updated': 'synchronize',
  'pr:reopened': 'reopened',
  'pr:modified': 'edited',
  'pr:merged': 'merged',
  'pr:declined': 'closed',
};

export const NO_FILES = 'Bitbucket Data Center push payloads list no changed files';

function repositoryName(read: PayloadFields, payload: unknown, path: readonly string[]): string {
  return `${read.string(payload, [...path, 'project', 'key'])}/${read.string(payload, [...path, 'slug'])}`;
}

export function bitbucketDataCenterFacts(event: string, payload: Readonly<Record<string, unknown>>): GitFacts | WebhookReply {
  if (event === 'diagnostics:ping') return { reply: { pong: true }, reason: 'ping' };
  const read = payloadFields('bitbucket-data-center', event);
  const action = PULL_REQUEST_ACTIONS[event];
  const repoPath = action === undefined ? ['repository'] : ['pullRequest', 'toRef', 'repository'];
  const repository = event === 'repo:refs_changed' || action !== undefined ? repositoryName(read, payload, repoPath) : '';
  const base = withoutUndefined<Pick<GitFacts, 'provider' | 'event' | 'viaPush' | 'repository' | 'repositoryUrl' | 'actor'>>({
    provider: 'bitbucket-data-center',
    event,
    viaPush: event === 'repo:refs_changed',
    repository,
    repositoryUrl: read.optionalString(payload, [...repoPath, 'links', 'self', '0', 'href']),
    actor: read.optionalString(payload, ['actor', 'name']),
  });
  if (event === 'repo:refs_changed') {
    const changes = fieldAt(payload, ['changes']);
    if (!Array.isArray(changes) || changes.length === 0) throw new MalformedEventError(`bitbucket-data-center ${event} payload has no changes`);
    const change: unknown = changes[0];
    const ref = read.string(change, ['ref', 'id']);
    const type = read.string(change, ['ref', 'type']);
    const name = read.string(change, ['ref', 'displayId']);
    const sha = commitOrNone(read.optionalString(change, ['toHash']));
    const isTag = type === 'TAG';
    return withoutUndefined<GitFacts>({
      ...base,
      kind: isTag ? 'tag' : type === 'BRANCH' ? 'push' : 'other',
      ref,
      branch: isTag ? undefined : name,
      tag: isTag ? name : undefined,
      sha,
      shortSha: sha?.slice(0, 7),
      before: commitOrNone(read.optionalString(change, ['fromHash'])),
      deleted: read.optionalString(change, ['type']) === 'DELETE',
      created: read.optionalString(change, ['type']) === 'ADD',
      changedPathsIncomplete: NO_FILES,
    });
  }
  if (action !== undefined) {
    const pr = (...path: string[]) => ['pullRequest', ...path];
    const headSha = read.string(payload, pr('fromRef', 'latestCommit'));
    const baseRef = read.string(payload, pr('toRef', 'displayId'));
    return withoutUndefined<GitFacts>({
      ...base,
      kind: 'pull_request',
      action,
      ref: read.string(payload, pr('fromRef', 'id')),
      branch: baseRef,
      sha: headSha,
      shortSha: headSha.slice(0, 7),
      before: commitOrNone(read.optionalString(payload, ['previousFromHash'])),
      deleted: false,
      created: false,
      pullRequest: {
        number: read.integer(payload, pr('id')),
        title: read.optionalString(payload, pr('title')) ?? '',
        headRef: read.string(payload, pr('fromRef', 'displayId')),
        headSha,
        baseRef,
        merged: action === 'merged',
        fromFork: repositoryName(read, payload, pr('fromRef', 'repository')) !== repository,
      },
    });
  }
  return withoutUndefined<GitFacts>({ ...base, kind: 'other', deleted: false, created: false });
}
