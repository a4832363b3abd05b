import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { planDownstreams } from '../../src/chaining/plan-downstreams.ts';
import { indexRunConfigurations } from '../../src/chaining/run-configuration-index.ts';
import { config, loadInline } from '../config/load-inline.ts';
import { completionEvent, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: fan-out 1 → 3', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('one completion starts every downstream, each with the artifact; the others are counted as unrelated', async () => {
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
    // Only the upstream's downstreams are considered: the rest (a itself, other, elsewhere) cannot
    // start from this completion, so they are counted, not listed one by one.
    assert.deepEqual(outcome.dispatch.skipped, []);
    assert.equal(outcome.dispatch.unrelated, 3);
    assert.equal(new Set(harness.sink.runs.map((r) => r.metadata.name)).size, 3, 'three distinct deterministic names');
  });

  test('the plan of a completion names its upstream\'s downstreams only, with the completed run for their artifacts', async () => {
    const loaded = await loadInline(
      config(rc('a'), rc('other'), ...['d1', 'd2'].map((name) => rc(name, { triggers: { runConfigurations: ['a'] } })), rc('elsewhere', { triggers: { runConfigurations: ['other'] } })),
    );
    const event = completionEvent({ runConfigurationName: 'ml/a', runId: 'r1' });
    const run = { runKey: 'r1', status: 'succeeded', endTime: event.time, eventId: event.id, artifacts: [], misses: [] } as const;
    const plan = planDownstreams(indexRunConfigurations(loaded), { upstream: 'ml/a', run, joins: new Map(), first: true });
    assert.deepEqual(plan.targets.map((t) => [t.rc.key, t.match.matched]), [['ml/d1', true], ['ml/d2', true]]);
    assert.equal(plan.upstreamRuns.get('ml/d1')?.get('ml/a'), run);
    assert.equal(plan.neverDispatched, true);
    assert.equal(plan.claimed.size, 0);
  });
});
