import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunOutcome } from '../../src/dispatch/dispatch-outcome.ts';
import { outcomeResponse } from '../../src/server/outcome-response.ts';

const run = (name: string, created: boolean, dryRun = false): RunOutcome => ({
  runConfiguration: `ml/${name}`,
  trigger: 'git[0]',
  run: { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', namespace: 'ml', name, created, dryRun, location: '/apis/x' },
});
const failed = (name: string, status: number, retryable: boolean): RunOutcome => ({
  runConfiguration: `ml/${name}`,
  trigger: 'git[0]',
  error: { code: 'RB_SINK', status, message: 'refused', retryable },
});

const cases: { name: string; matched: RunOutcome[]; status: number; message: string }[] = [
  { name: 'nothing matched', matched: [], status: 200, message: 'no run configuration matched' },
  { name: 'two created', matched: [run('a', true), run('b', true)], status: 200, message: '2 runs created' },
  { name: 'dry run', matched: [run('a', true, true)], status: 200, message: '1 run created (dry run)' },
  { name: 'redelivery', matched: [run('a', false)], status: 200, message: '1 run already existed' },
  { name: 'mixed', matched: [run('a', true), run('b', false), failed('c', 422, false)], status: 422, message: '1 run created, 1 run already existed, 1 run failed' },
  { name: 'retryable wins', matched: [failed('a', 403, false), failed('b', 503, true)], status: 503, message: '2 runs failed' },
];

for (const c of cases) {
  test(`outcomeResponse: ${c.name} → ${c.status} "${c.message}"`, () => {
    const { status, body } = outcomeResponse({ eventId: 'e1', eventType: 'github.push', source: 'github', matched: c.matched, skipped: [] });
    assert.equal(status, c.status);
    assert.equal(body.message, c.message);
    assert.equal(body.eventId, 'e1');
    assert.deepEqual(body.runs.map((r) => r.runConfiguration), c.matched.map((m) => m.runConfiguration));
  });
}

test('outcomeResponse names each run and skipped configuration, without internal locations', () => {
  const { body } = outcomeResponse({
    eventId: 'e2',
    eventType: 'github.push',
    source: 'github',
    matched: [run('trainer', true)],
    skipped: [{ runConfiguration: 'ml/nightly', reason: 'no git trigger' }],
  });
  assert.deepEqual(body.runs, [
    { runConfiguration: 'ml/trainer', trigger: 'git[0]', run: { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', namespace: 'ml', name: 'trainer', created: true, dryRun: false } },
  ]);
  assert.deepEqual(body.skipped, [{ runConfiguration: 'ml/nightly', reason: 'no git trigger' }]);
});

test("an unexpected error's own text never reaches the caller: its run says `internal error`; runbridge's own errors keep their message", () => {
  const { body } = outcomeResponse({
    eventId: 'e3',
    eventType: 'github.push',
    source: 'github',
    matched: [
      { runConfiguration: 'ml/a', trigger: 'git[0]', error: { code: 'RB_INTERNAL', status: 500, message: "ENOENT: no such file or directory, open '/srv/runbridge/secret/x'", retryable: true } },
      { runConfiguration: 'ml/b', trigger: 'git[0]', error: { code: 'RB_PARAMETER', status: 422, message: 'parameter "model": ml/train has no succeeded run yet', retryable: false } },
    ],
    skipped: [],
  });
  assert.deepEqual(body.runs.map((r) => r.error?.message), ['internal error', 'parameter "model": ml/train has no succeeded run yet']);
  assert.ok(!JSON.stringify(body).includes('/srv/runbridge'));
});
