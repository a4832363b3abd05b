import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedEventError } from '../../src/errors.ts';
import type { GitFacts } from '../../src/events/event.ts';
import { deliver, payloads, RECEIVED_AT } from './github-examples.ts';

const REPO = { provider: 'github', repository: 'Codertocat/Hello-World', repositoryUrl: 'https://github.com/Codertocat/Hello-World', actor: 'Codertocat' } as const;
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const PR_HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const pullRequest = (action: string, merged = false): GitFacts => ({
  ...REPO,
  event: 'pull_request', viaPush: false,
  kind: 'pull_request',
  action,
  ref: 'refs/pull/2/head',
  branch: 'master',
  sha: PR_HEAD,
  shortSha: 'ec26c3e',
  deleted: false,
  created: false,
  pullRequest: { number: 2, title: 'Update the README with new information.', headRef: 'changes', headSha: PR_HEAD, baseRef: 'master', merged },
});

describe('githubEvent', () => {
  const cases: { name: string; event: string; payload: () => unknown; git: GitFacts }[] = [
    {
      name: 'push to a branch',
      event: 'push',
      payload: payloads.branchPush,
      git: {
        ...REPO, event: 'push', viaPush: true, kind: 'push', ref: 'refs/heads/master', branch: 'master', sha: SHA, shortSha: '6113728',
        deleted: false, created: true, changedPaths: ['README.md'], headCommitMessage: 'Initial commit',
      },
    },
    {
      name: 'push of a new tag',
      event: 'push',
      payload: payloads.tagPush,
      git: {
        ...REPO, event: 'push', viaPush: true, kind: 'tag', ref: 'refs/tags/simple-tag', tag: 'simple-tag', sha: SHA, shortSha: '6113728',
        deleted: false, created: true, changedPaths: [], headCommitMessage: 'Adding a .gitignore file',
      },
    },
    {
      name: 'push deleting a tag',
      event: 'push',
      payload: payloads.tagDeletion,
      git: { ...REPO, event: 'push', viaPush: true, kind: 'tag', ref: 'refs/tags/simple-tag', tag: 'simple-tag', before: SHA, deleted: true, created: false, changedPaths: [] },
    },
    {
      name: 'push deleting a branch',
      event: 'push',
      payload: payloads.branchDeletion,
      git: { ...REPO, event: 'push', viaPush: true, kind: 'push', ref: 'refs/heads/feature/old', branch: 'feature/old', before: SHA, deleted: true, created: false, changedPaths: [] },
    },
    { name: 'pull_request opened', event: 'pull_request', payload: () => payloads.pullRequest('opened'), git: pullRequest('opened') },
    {
      name: 'pull_request synchronize',
      event: 'pull_request',
      payload: () => payloads.pullRequest('synchronize'),
      git: { ...pullRequest('synchronize'), before: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' },
    },
    { name: 'pull_request closed without merging', event: 'pull_request', payload: () => payloads.pullRequest('closed'), git: pullRequest('closed') },
    { name: 'pull_request closed by merging', event: 'pull_request', payload: payloads.pullRequestMerged, git: pullRequest('merged', true) },
    {
      name: 'release published',
      event: 'release',
      payload: () => payloads.release('published'),
      git: {
        ...REPO, event: 'release', viaPush: false, kind: 'release', action: 'published', ref: 'refs/tags/0.0.1', tag: '0.0.1',
        deleted: false, created: false, release: { tag: '0.0.1', name: '0.0.1', prerelease: false },
      },
    },
    {
      name: 'create of a tag',
      event: 'create',
      payload: payloads.createTag,
      git: { ...REPO, event: 'create', viaPush: false, kind: 'tag', ref: 'refs/tags/simple-tag', tag: 'simple-tag', deleted: false, created: true },
    },
    {
      name: 'create of a branch',
      event: 'create',
      payload: payloads.createBranch,
      git: { ...REPO, event: 'create', viaPush: false, kind: 'other', ref: 'refs/heads/feature/x', branch: 'feature/x', deleted: false, created: true },
    },
    {
      name: 'delete of a tag',
      event: 'delete',
      payload: payloads.deleteTag,
      git: { ...REPO, event: 'delete', viaPush: false, kind: 'tag', ref: 'refs/tags/simple-tag', tag: 'simple-tag', deleted: true, created: false },
    },
    {
      name: 'ping of a repository hook',
      event: 'ping',
      payload: payloads.ping,
      git: { ...REPO, repository: 'Octocoders/Hello-World', repositoryUrl: 'https://github.com/Octocoders/Hello-World', event: 'ping', viaPush: false, kind: 'ping', deleted: false, created: false },
    },
    {
      name: 'ping of an organization hook (no repository)',
      event: 'ping',
      payload: payloads.organizationPing,
      git: { provider: 'github', repository: '', actor: 'Codertocat', event: 'ping', viaPush: false, kind: 'ping', deleted: false, created: false },
    },
    {
      name: 'any other event',
      event: 'issues',
      payload: payloads.issues,
      git: { ...REPO, event: 'issues', viaPush: false, kind: 'other', action: 'opened', deleted: false, created: false },
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      const payload = c.payload();
      const event = deliver(c.event, payload, 'f0e1d2c3');
      assert.deepEqual(event.git, c.git);
      assert.equal(event.id, 'f0e1d2c3');
      assert.equal(event.source, 'github');
      assert.equal(event.type, `github.${c.event}`);
      assert.equal(event.time, RECEIVED_AT.toISOString());
      assert.equal(event.trigger, 'git');
      assert.equal(event.data, payload);
    });
  }
});

describe('githubEvent changed paths', () => {
  const commit = (added: string[], modified: string[], removed: string[]) => ({ id: 'c', added, modified, removed });

  test('are collected from every commit, deduplicated and sorted', () => {
    const payload = payloads.branchPush();
    payload.commits = [commit(['b.py', 'a/x.py'], ['README.md'], []), commit([], ['b.py'], ['old/z.txt'])];
    assert.deepEqual(deliver('push', payload).git?.changedPaths, ['README.md', 'a/x.py', 'b.py', 'old/z.txt']);
  });

  test('come from head_commit when commits is absent', () => {
    const payload = payloads.branchPush();
    delete payload.commits;
    payload.head_commit = commit(['new.txt'], ['README.md'], []);
    assert.deepEqual(deliver('push', payload).git?.changedPaths, ['README.md', 'new.txt']);
  });

  test('are undefined when the payload lists no files', () => {
    const payload = payloads.tagDeletion();
    delete payload.commits;
    assert.equal(deliver('push', payload).git?.changedPaths, undefined);
  });

  test('ignore entries that are not strings', () => {
    const payload = payloads.branchPush();
    payload.commits = [{ added: ['ok.txt', 42, null, { x: 1 }], modified: 'not-a-list' }];
    assert.deepEqual(deliver('push', payload).git?.changedPaths, ['ok.txt']);
  });
});

describe('githubEvent rejects malformed deliveries', () => {
  const cases: { name: string; event: string; payload: () => unknown; message: string; deliveryId?: string }[] = [
    { name: 'null payload', event: 'push', payload: () => null, message: 'github push payload is null, a JSON object expected' },
    { name: 'array payload', event: 'push', payload: () => [], message: 'github push payload is an array, a JSON object expected' },
    { name: 'string payload', event: 'ping', payload: () => 'zen', message: 'github ping payload is a string, a JSON object expected' },
    {
      name: 'push without repository',
      event: 'push',
      payload: () => ({ ...payloads.branchPush(), repository: undefined }),
      message: 'github push payload has no repository.full_name (a non-empty string expected)',
    },
    {
      name: 'repository name of the wrong type',
      event: 'pull_request',
      payload: () => ({ ...payloads.pullRequest('opened'), repository: { full_name: 7 } }),
      message: 'github pull_request payload: repository.full_name is a number, a non-empty string expected',
    },
    {
      name: 'push without ref',
      event: 'push',
      payload: () => ({ ...payloads.branchPush(), ref: null }),
      message: 'github push payload: ref is null, a non-empty string expected',
    },
    {
      name: 'pull_request without head sha',
      event: 'pull_request',
      payload: () => {
        const payload = payloads.pullRequest('opened');
        delete payload.pull_request.head.sha;
        return payload;
      },
      message: 'github pull_request payload has no pull_request.head.sha (a non-empty string expected)',
    },
    {
      name: 'pull_request number that is not an integer',
      event: 'pull_request',
      payload: () => {
        const payload = payloads.pullRequest('opened');
        payload.pull_request.number = '2';
        return payload;
      },
      message: 'github pull_request payload: pull_request.number is a string, an integer expected',
    },
    {
      name: 'release without tag_name',
      event: 'release',
      payload: () => ({ ...payloads.release('published'), release: {} }),
      message: 'github release payload has no release.tag_name (a non-empty string expected)',
    },
    {
      name: 'create without ref_type',
      event: 'create',
      payload: () => ({ ...payloads.createTag(), ref_type: undefined }),
      message: 'github create payload has no ref_type (a non-empty string expected)',
    },
    {
      name: 'repository inherited through the prototype is not read',
      event: 'push',
      payload: () => Object.assign(Object.create({ repository: { full_name: 'evil/repo' } }), { ref: 'refs/heads/main' }),
      message: 'github push payload has no repository.full_name (a non-empty string expected)',
    },
    { name: 'invalid event name', event: 'Push; rm', payload: payloads.branchPush, message: 'invalid GitHub event name "Push; rm"' },
    { name: 'empty delivery id', event: 'push', payload: payloads.branchPush, deliveryId: '', message: 'github push delivery has an empty delivery id' },
  ];

  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => deliver(c.event, c.payload(), c.deliveryId),
        (error: unknown) => error instanceof MalformedEventError && error.message === c.message && error.status === 400,
      );
    });
  }

  test('a __proto__ key in the JSON is data, not a prototype', () => {
    const payload: unknown = JSON.parse(
      '{"ref":"refs/heads/main","after":"' + SHA + '","repository":{"full_name":"a/b"},"__proto__":{"deleted":true}}',
    );
    const git = deliver('push', payload).git;
    assert.equal(git?.deleted, false);
    assert.equal(git?.branch, 'main');
  });
});
