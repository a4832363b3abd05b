import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { buildStatusReport } from '../../src/chaining/status/build-status-report.ts';
import { completionEvent, counterValue, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

const upstream = rc('a', { artifacts: [{ name: 'model', path: 'Trainer:model' }, { name: 'stats', path: 'StatisticsGen:statistics' }] });

describe('chaining: an upstream artifact that is not there', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('not optional: no run; the reason is in the outcome, the log, the metric and /status', async () => {
    h = await startHarness([upstream, rc('b', { parameters: [{ name: 'stats', ...ref('a', 'stats') }], triggers: { runConfigurations: ['a'] } })]);
    const outcome = await h.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/a', runId: 'r1', artifacts: [{ name: 'model', location: 'gs://m/1' }] }, { id: 'ev-missing' }),
    );
    assert.ok(outcome.outcome === 'dispatched');
    assert.equal(h.runsOf('ml/b').length, 0);
    const failure = outcome.dispatch.matched[0]?.error;
    assert.equal(failure?.code, 'RB_PARAMETER');
    assert.match(failure?.message ?? '', /^Unable to resolve parameters: parameter "stats": upstream ml\/a has no artifact stats/);
    assert.equal(await counterValue(h.metrics, 'runbridge_dependency_resolution_failures_total', { run_configuration: 'ml/b' }), 1);
    assert.equal(await counterValue(h.metrics, 'runbridge_artifact_path_misses_total', { run_configuration: 'ml/a' }), 1, 'the declared artifact the run did not report');
    const why = 'the latest succeeded run r1 of ml/a has no artifact "stats": StatisticsGen:statistics: the completion carries no artifact "stats" and no component outputs to resolve StatisticsGen:statistics against';
    assert.ok(h.logs.some((l) => l['msg'] === 'upstream artifact unresolved: no run' && l['reason'] === why));

    const status = await buildStatusReport({ runConfigurations: h.loaded.runConfigurations, store: h.store });
    const b = status.runConfigurations.find((s) => s.runConfiguration === 'ml/b');
    assert.deepEqual(b?.unresolved.map((d) => [d.parameter, d.reason]), [['stats', why]]);
    assert.equal(b?.resolution.lastFailure?.eventId, 'nats:ev-missing');
    assert.equal(b?.resolution.lastFailure?.message, `Unable to resolve parameters: parameter "stats": ${why}`);
    assert.deepEqual(status.runConfigurations.find((s) => s.runConfiguration === 'ml/a')?.latest.succeeded?.misses.map((m) => m.name), ['stats']);
  });

  test('optional: the run starts without the parameter', async () => {
    h = await startHarness([
      upstream,
      rc('b', {
        parameters: [
          { name: 'model', ...ref('a', 'model') },
          { name: 'stats', ...ref('a', 'stats', { optional: true }) },
        ],
        triggers: { runConfigurations: ['a'] },
      }),
    ]);
    await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 'r1', artifacts: [{ name: 'model', location: 'gs://m/1' }] }));
    assert.deepEqual(paramsOf(h.runsOf('ml/b')[0]), { model: 'gs://m/1' });
    assert.equal(await counterValue(h.metrics, 'runbridge_dependency_resolution_failures_total'), 0);
  });

  test('an upstream that never succeeded: the reason says so', async () => {
    h = await startHarness([upstream, rc('b', { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { git: [{ branches: ['main'] }] } })]);
    const status = await buildStatusReport({ runConfigurations: h.loaded.runConfigurations, store: h.store });
    assert.deepEqual(
      status.runConfigurations.find((s) => s.runConfiguration === 'ml/b')?.unresolved.map((d) => d.reason),
      ['ml/a has no succeeded run yet'],
    );
  });
});
