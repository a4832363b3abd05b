import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { readLatestRuns } from '../../src/chaining/latest-runs.ts';
import { completionEvent, counterValue, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: an older completion arriving after a newer one', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('is recorded as stale: the newest artifacts stay the latest and nothing starts', async () => {
    h = await startHarness([
      rc('a', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
      rc('b', { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { runConfigurations: ['a'] } }),
      rc('c', { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { git: [{ branches: ['main'] }] } }),
    ]);
    const newer = completionEvent({ runConfigurationName: 'ml/a', runId: 'new', runEndTime: '2026-01-15T13:00:00Z', artifacts: [{ name: 'model', location: 'gs://m/new' }] });
    const older = completionEvent({ runConfigurationName: 'ml/a', runId: 'old', runEndTime: '2026-01-15T12:00:00Z', artifacts: [{ name: 'model', location: 'gs://m/old' }] });
    assert.equal((await h.handleCompletion(newer)).outcome, 'dispatched');
    const late = await h.handleCompletion(older);
    assert.equal(late.outcome, 'stale');
    assert.ok(late.outcome === 'stale');
    assert.match(late.reason, /run old ended 2026-01-15T12:00:00Z, before the latest succeeded run new/);
    assert.equal(h.runsOf('ml/b').length, 1, 'the stale completion started nothing');
    assert.equal((await readLatestRuns(h.store, 'ml/a')).succeeded?.runId, 'new');
    assert.equal(await counterValue(h.metrics, 'runbridge_events_received_total', { outcome: 'stale' }), 1);
    assert.equal((await h.handleCompletion(older)).outcome, 'duplicate', 'the stale run is in the ledger');

    // A run started later by another trigger takes the newest artifact.
    await h.dispatch({
      id: 'push-1', source: 'github', type: 'github.push', time: '2026-01-15T14:00:00Z', trigger: 'git', data: {},
      git: { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository: 'acme/ml', ref: 'refs/heads/main', branch: 'main', sha: 'abc', deleted: false, created: false },
    });
    assert.deepEqual(paramsOf(h.runsOf('ml/c')[0]), { model: 'gs://m/new' });
  });

  test('a failure older than the latest failure is stale, but an older failure after a newer success is not', async () => {
    h = await startHarness([rc('a'), rc('alert', { triggers: { runConfigurations: ['a'], upstream: { on: 'failed' } } })]);
    await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 's', runEndTime: '2026-01-15T13:00:00Z' }));
    const failure = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 'f1', status: 'failed', runEndTime: '2026-01-15T12:00:00Z' }));
    assert.equal(failure.outcome, 'dispatched');
    assert.equal(h.runsOf('ml/alert').length, 1);
    const older = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 'f0', status: 'failed', runEndTime: '2026-01-15T11:00:00Z' }));
    assert.equal(older.outcome, 'stale');
    assert.equal(h.runsOf('ml/alert').length, 1);
    const latest = await readLatestRuns(h.store, 'ml/a');
    assert.deepEqual([latest.succeeded?.runId, latest.failed?.runId, latest.completed?.runId], ['s', 'f1', 's']);
  });
});
