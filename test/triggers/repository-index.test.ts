import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gitTriggerSchema } from '../../src/config/schema.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { compileGitTrigger } from '../../src/triggers/git-trigger.ts';
import { indexByRepository } from '../../src/triggers/repository-index.ts';

const REPOSITORY_FILTERS: (string | string[] | undefined)[] = [
  undefined,
  'Codertocat/Hello-World',
  'codertocat/hello-world',
  ['platform/a', 'platform/b'],
  ['platform/a', 'platform/*'],
  'Codertocat/*',
  '!Codertocat/**',
  ['platform/[ab]'],
  'platform/{a,c}',
  'platform/a.b',
  'platform/a?b',
];
const REPOSITORIES = ['Codertocat/Hello-World', 'CODERTOCAT/HELLO-WORLD', 'platform/a', 'platform/b', 'platform/c', 'platform/a.b', 'platform/aXb', 'platform/a-b', 'other/x', ''];

function rc(name: string, filters: (string | string[] | undefined)[]) {
  const gitTriggers = filters.map((repository, i) => compileGitTrigger(gitTriggerSchema.parse(repository === undefined ? {} : { repository }), `git[${i}]`).compiled);
  return { name, gitTriggers };
}

function push(repository: string): RunbridgeEvent {
  return {
    id: 'd',
    source: 'github',
    type: 'push',
    time: '2026-01-01T00:00:00.000Z',
    trigger: 'git',
    data: {},
    git: { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository, branch: 'main', ref: 'refs/heads/main', deleted: false, created: false },
  };
}

test('a run configuration is a candidate exactly when one of its git triggers accepts the repository, in configuration order', () => {
  const rcs = [
    ...REPOSITORY_FILTERS.map((filter, i) => rc(`single-${i}`, [filter])),
    ...REPOSITORY_FILTERS.flatMap((a, i) => REPOSITORY_FILTERS.slice(i + 1).map((b, j) => rc(`pair-${i}-${j}`, [a, b]))),
    rc('no-git-triggers', []),
  ];
  const index = indexByRepository(rcs);
  for (const repository of REPOSITORIES) {
    const expected = rcs.filter((r) => r.gitTriggers.some((t) => t.repository === undefined || t.repository.matches(repository))).map((r) => r.name);
    assert.deepEqual(index.candidates(push(repository))?.map((r) => r.name), expected, repository);
  }
});

test('events other than git events are not indexed', () => {
  const index = indexByRepository([rc('a', ['platform/a'])]);
  const tick: RunbridgeEvent = { id: 't', source: 'cron', type: 'tick', time: '2026-01-01T00:00:00.000Z', trigger: 'schedule', data: {}, target: 'ml/a' };
  assert.equal(index.candidates(tick), undefined);
});
