import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { readConsumed } from '../../src/chaining/consumed-record.ts';
import { SinkError } from '../../src/errors.ts';
import { createMemorySink } from '../../src/sinks/memory-sink.ts';
import { completionEvent, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

const upstreams = [
  rc('left', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
  rc('right', { artifacts: [{ name: 'blessing', path: 'Evaluator:blessing' }] }),
];
const join = rc('deploy', {
  parameters: [
    { name: 'model', ...ref('left', 'model') },
    { name: 'blessing', ...ref('right', 'blessing') },
  ],
  triggers: { runConfigurations: ['left', 'right'], upstream: { mode: 'all' } },
});

const done = (upstream: 'left' | 'right', runId: string, location: string, end = '2026-01-15T12:00:00Z', status: 'succeeded' | 'failed' = 'succeeded') =>
  completionEvent({ runConfigurationName: `ml/${upstream}`, runId, status, runEndTime: end, artifacts: [{ name: upstream === 'left' ? 'model' : 'blessing', location }] });

describe('chaining: join (mode all) of two upstreams', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('fires once, only after both, with both artifacts; then waits for both again', async () => {
    h = await startHarness([...upstreams, join]);
    const first = await h.handleCompletion(done('left', 'l1', 'gs://m/1'));
    assert.ok(first.outcome === 'dispatched');
    assert.equal(first.dispatch.matched.length, 0);
    assert.equal(first.dispatch.skipped.find((s) => s.runConfiguration === 'ml/deploy')?.reason, 'join: waiting for ml/right (no succeeded run yet)');
    assert.equal(h.runsOf('ml/deploy').length, 0);

    await h.handleCompletion(done('right', 'r1', 'gs://b/1'));
    assert.equal(h.runsOf('ml/deploy').length, 1);
    assert.deepEqual(paramsOf(h.runsOf('ml/deploy')[0]), { model: 'gs://m/1', blessing: 'gs://b/1' });

    const again = await h.handleCompletion(done('left', 'l2', 'gs://m/2', '2026-01-15T13:00:00Z'));
    assert.ok(again.outcome === 'dispatched');
    assert.equal(again.dispatch.skipped.find((s) => s.runConfiguration === 'ml/deploy')?.reason, 'join: waiting for ml/right (no newer succeeded run than r1)');
    assert.equal(h.runsOf('ml/deploy').length, 1, 'one new upstream run is not enough');

    await h.handleCompletion(done('right', 'r2', 'gs://b/2', '2026-01-15T13:05:00Z'));
    assert.equal(h.runsOf('ml/deploy').length, 2);
    assert.deepEqual(paramsOf(h.runsOf('ml/deploy')[1]), { model: 'gs://m/2', blessing: 'gs://b/2' });
  });

  test('a failed upstream run does not count towards a join on succeeded', async () => {
    h = await startHarness([...upstreams, join]);
    await h.handleCompletion(done('left', 'l1', 'gs://m/1'));
    const failed = await h.handleCompletion(done('right', 'r1', '', '2026-01-15T12:01:00Z', 'failed'));
    assert.ok(failed.outcome === 'dispatched');
    assert.equal(failed.dispatch.skipped.find((s) => s.runConfiguration === 'ml/deploy')?.reason, 'upstream ml/right failed; triggers.upstream.on is succeeded');
    assert.equal(h.runsOf('ml/deploy').length, 0);
  });

  test('both upstreams completing at the same moment start exactly one run, round after round', async () => {
    const harness = (h = await startHarness([...upstreams, join]));
    const rounds = 8;
    for (let round = 1; round <= rounds; round++) {
      const end = `2026-01-15T${String(10 + round).padStart(2, '0')}:00:00Z`;
      const outcomes = await Promise.all([
        harness.handleCompletion(done('left', `l${round}`, `gs://m/${round}`, end)),
        harness.handleCompletion(done('right', `r${round}`, `gs://b/${round}`, end)),
      ]);
      const started = outcomes.flatMap((o) => (o.outcome === 'dispatched' ? o.dispatch.matched : []));
      assert.equal(started.length, 1, `round ${round}: exactly one of the two completions starts the join`);
      assert.equal(harness.runsOf('ml/deploy').length, round);
      assert.deepEqual(paramsOf(harness.runsOf('ml/deploy')[round - 1]), { model: `gs://m/${round}`, blessing: `gs://b/${round}` });
    }
  });

  test('a join whose run could not be created gives its claim back, and starts when the completion is reported again', async () => {
    const memory = createMemorySink();
    let failures = 1;
    const flaky = {
      ...memory,
      submit: async (...args: Parameters<typeof memory.submit>) => {
        if (failures-- > 0) throw new SinkError('API server unavailable', { status: 503, retryable: true });
        return memory.submit(...args);
      },
    };
    h = await startHarness([...upstreams, join], { sink: flaky });
    await h.handleCompletion(done('left', 'l1', 'gs://m/1'));
    const failed = await h.handleCompletion(done('right', 'r1', 'gs://b/1'));
    assert.ok(failed.outcome === 'dispatched');
    assert.equal(failed.dispatch.matched[0]?.error?.retryable, true);
    assert.deepEqual((await readConsumed(h.store, 'ml/deploy'))?.value.runs, [], 'the claim was released');

    const retried = await h.handleCompletion(done('right', 'r1', 'gs://b/1'));
    assert.ok(retried.outcome === 'dispatched');
    assert.equal(h.runsOf('ml/deploy').length, 1);
    const consumed = (await readConsumed(h.store, 'ml/deploy'))?.value;
    assert.deepEqual(consumed?.runs.map((r) => [r.upstream, r.run.runKey]).sort(), [['ml/left', 'l1'], ['ml/right', 'r1']]);
    assert.equal(consumed?.started?.name, h.runsOf('ml/deploy')[0]?.metadata.name);
  });
});
