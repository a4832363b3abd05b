import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptOfDispatch } from '../../src/intake/attempt-of-outcome.ts';
import type { DispatchOutcome, RunOutcome } from '../../src/dispatch/dispatch-outcome.ts';

const run = { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ml', name: 'r-1', created: true, dryRun: false, location: 'x' };
const outcome = (...matched: RunOutcome[]): DispatchOutcome => ({ eventId: 'e', eventType: 'github.push', source: 'github', matched, skipped: [] });
const failed = (rc: string, status: number, retryable: boolean): RunOutcome => ({ runConfiguration: rc, trigger: 'git[0]', error: { code: 'RB_SINK', status, message: `failed ${status}`, retryable } });

test('every run created, or nothing matched: done', () => {
  assert.equal(attemptOfDispatch(outcome({ runConfiguration: 'ml/a', trigger: 'git[0]', run })).result, 'done');
  assert.equal(attemptOfDispatch(outcome()).result, 'done');
});

test('any failure that may pass makes the whole event worth retrying (its created runs are found again)', () => {
  const attempt = attemptOfDispatch(outcome(failed('ml/a', 422, false), failed('ml/b', 503, true)));
  assert.deepEqual(attempt.result === 'retry' && attempt.reason, 'ml/b: failed 503');
});

test('only permanent failures: a dead letter with the first failure\'s status', () => {
  const attempt = attemptOfDispatch(outcome({ runConfiguration: 'ml/a', trigger: 'git[0]', run }, failed('ml/b', 422, false), failed('ml/c', 403, false)));
  assert.deepEqual(attempt.result === 'dead' && [attempt.status, attempt.reason], [422, 'ml/b: failed 422']);
});
