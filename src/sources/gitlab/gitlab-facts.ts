/**
 * GitFacts of GitLab's deliveries, by `object_kind`: `push` (Push Hook), `tag_push` (Tag Push
 * Hook), `merge_request` and `release`. GitLab's merge request actions become the words triggers
 * use: open → opened, update with `oldrev` (new commits) → synchronize, update without → edited,
 * close → closed, reopen → reopened, merge → merged. A release's `create` is `published` (GitLab
 * publishes a release when it is created). A push lists only its first 20 commits
 * (`total_commits_count` has the real count): its changed paths are then marked incomplete.
 */
import type { GitFacts } from '../../events/event.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';
import { changedPaths } from '../webhook/changed-paths.ts';
import { commitOrNone } from '../webhook/no-commit.ts';
import { fieldAt, payloadFields, type PayloadFields } from '../webhook/payload-fields.ts';

const MERGE_REQUEST_ACTIONS: Readonly<Record<string, string>> = { open: 'opened', close: 'closed', reopen: 'reopened', merge: 'merged' };
const RELEASE_ACTIONS: Readonly<Record<string, string>> = { create: 'published', update: 'updated', delete: 'deleted' };

type Base = Pick<GitFacts, 'provider' | 'event' | 'viaPush' | 'repository' | 'repositoryUrl' | 'actor'>;

function base(read: PayloadFields, payload: unknown, event: string, viaPush: boolean, actor: string | undefined): Base {
  return withoutUndefined<Base>({
    provider: 'gitlab',
    event,
    viaPush,
    repository: read.string(payload, ['project', 'path_with_namespace']),
    repositoryUrl: read.optionalString(payload, ['project', 'web_url']),
    actor,
  });
}

export function gitlabFacts(eventHeader: string, payload: Readonly<Record<string, unknown>>): GitFacts {
  const kind = typeof payload['object_kind'] === 'string' ? payload['object_kind'] : '';
  const read = payloadFields('gitlab', eventHeader);
  switch (kind) {
    case 'push':
    case 'tag_push':
      return pushFacts(read, payload, kind);
    case 'merge_request':
      return mergeRequestFacts(read, payload);
    case 'release':
      return releaseFacts(read, payload);
    default:
      return withoutUndefined<GitFacts>({
        provider: 'gitlab',
        event: kind || eventHeader,
        viaPush: false,
        repository: read.optionalString(payload, ['project', 'path_with_namespace']) ?? '',
        kind: 'other',
        deleted: false,
        created: false,
      });
  }
}

function pushFacts(read: PayloadFields, payload: unknown, kind: 'push' | 'tag_push'): GitFacts {
  const ref = read.string(payload, ['ref']);
  const after = commitOrNone(read.optionalString(payload, ['after']));
  const before = commitOrNone(read.optionalString(payload, ['before']));
  const deleted = after === undefined;
  // A tag push's `after` is the tag object; `checkout_sha` is the commit it points to.
  const sha = deleted ? undefined : (commitOrNone(read.optionalString(payload, ['checkout_sha'])) ?? after);
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
  const paths = deleted ? undefined : changedPaths(payload);
  const commits = fieldAt(payload, ['commits']);
  const listed = Array.isArray(commits) ? commits : [];
  const total = read.optionalInteger(payload, ['total_commits_count']) ?? listed.length;
  const head: unknown = listed.find((c) => fieldAt(c, ['id']) === sha);
  return withoutUndefined<GitFacts>({
    ...base(read, payload, kind, true, read.optionalString(payload, ['user_username'])),
    kind: branch !== undefined ? 'push' : tag !== undefined ? 'tag' : 'other',
    ref,
    branch,
    tag,
    sha,
    shortSha: sha?.slice(0, 7),
    before,
    deleted,
    created: before === undefined && !deleted,
    changedPaths: paths,
    changedPathsIncomplete: total > listed.length ? `GitLab lists the first ${listed.length} of the push's ${total} commits` : undefined,
    headCommitMessage: read.optionalString(head, ['message']),
  });
}

function mergeRequestFacts(read: PayloadFields, payload: unknown): GitFacts {
  const at = (...path: string[]) => ['object_attributes', ...path];
  const gitlabAction = read.string(payload, at('action'));
  const newCommits = read.optionalString(payload, at('oldrev')) !== undefined;
  const action = gitlabAction === 'update' ? (newCommits ? 'synchronize' : 'edited') : (MERGE_REQUEST_ACTIONS[gitlabAction] ?? gitlabAction);
  const number = read.integer(payload, at('iid'));
  const headSha = read.string(payload, at('last_commit', 'id'));
  const headRef = read.string(payload, at('source_branch'));
  const baseRef = read.string(payload, at('target_branch'));
  const sourceProject = read.optionalInteger(payload, at('source_project_id'));
  const targetProject = read.optionalInteger(payload, at('target_project_id'));
  return withoutUndefined<GitFacts>({
    ...base(read, payload, 'merge_request', false, read.optionalString(payload, ['user', 'username'])),
    kind: 'pull_request',
    action,
    ref: `refs/merge-requests/${number}/head`,
    branch: baseRef,
    sha: headSha,
    shortSha: headSha.slice(0, 7),
    before: commitOrNone(read.optionalString(payload, at('oldrev'))),
    deleted: false,
    created: false,
    pullRequest: {
      number,
      title: read.optionalString(payload, at('title')) ?? '',
      headRef,
      headSha,
      baseRef,
      merged: action === 'merged' || read.optionalString(payload, at('state')) === 'merged',
      fromFork: sourceProject !== targetProject,
    },
  });
}

function releaseFacts(read: PayloadFields, payload: unknown): GitFacts {
  const tag = read.string(payload, ['tag']);
  const gitlabAction = read.string(payload, ['action']);
  const sha = commitOrNone(read.optionalString(payload, ['commit', 'id']));
  return withoutUndefined<GitFacts>({
    ...base(read, payload, 'release', false, undefined),
    kind: 'release',
    action: RELEASE_ACTIONS[gitlabAction] ?? gitlabAction,
    ref: `refs/tags/${tag}`,
    tag,
    sha,
    shortSha: sha?.slice(0, 7),
    deleted: gitlabAction === 'delete',
    created: false,
    release: { tag, name: read.optionalString(payload, ['name']) || tag, prerelease: false },
  });
}
