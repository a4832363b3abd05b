import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { completionEvent, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: fan-out 1 → 3', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('one completion starts every downstream, each with the artifact; others say why not', async () => {
    const harness = (h = await startHarness([
      rc('a', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
      rc('other', { artifacts: [{ name: 'x', path: 'X:x' }] }),
      ...['d1', 'd2', 'd3'].map((name) => rc(name, { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { runConfigurations: ['a'] } })),
      rc('elsewhere', { triggers: { runConfigurations: ['other'] } }),
    ]));
    const outcome = await harness.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/a', runId: 'r1', artifacts: [{ name: 'model', location: 's3://models/1' }] }),
    );
    assert.equal(outcome.outcome, 'dispatched');
    assert.ok(outcome.outcome === 'dispatched');
    assert.deepEqual(outcome.dispatch.matched.map((m) => m.runConfiguration).sort(), ['ml/d1', 'ml/d2', 'ml/d3']);
    for (const name of ['ml/d1', 'ml/d2', 'ml/d3']) {
      const runs = harness.runsOf(name);
      assert.equal(runs.length, 1, name);
      assert.deepEqual(paramsOf(runs[0]), { model: 's3://models/1' });
    }
    const skipped = new Map(outcome.dispatch.skipped.map((s) => [s.runConfiguration, s.reason]));
    assert.equal(skipped.get('ml/elsewhere'), 'upstream ml/a is not in triggers.runConfigurations');
    assert.equal(skipped.get('ml/a'), 'upstream ml/a is not in triggers.runConfigurations');
    assert.equal(new Set(harness.sink.runs.map((r) => r.metadata.name)).size, 3, 'three distinct deterministic names');
  });
});
