import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { completionEvent, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: A → B → C cascade', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  const chain = [
    rc('a', { parameters: [{ name: 'seed', value: '1' }], artifacts: [{ name: 'examples', path: 'ExampleGen:examples' }] }),
    rc('b', {
      parameters: [{ name: 'examples', ...ref('a', 'examples') }],
      artifacts: [{ name: 'model', path: 'Trainer:model' }],
      triggers: { runConfigurations: ['a'] },
    }),
    rc('c', { parameters: [{ name: 'model', ...ref('ml/b', 'model') }], triggers: { runConfigurations: ['ml/b'] } }),
  ];

  test('each completion starts the next run configuration with the upstream artifact as a parameter', async () => {
    h = await startHarness(chain);
    const a = await h.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/a', runId: 'a-1', runEndTime: '2026-01-15T12:00:00Z', artifacts: [{ name: 'examples', location: 'gs://bucket/examples/1' }] }),
    );
    assert.equal(a.outcome, 'dispatched');
    const [b] = h.runsOf('ml/b');
    assert.deepEqual(paramsOf(b), { examples: 'gs://bucket/examples/1' });
    assert.equal(h.runsOf('ml/c').length, 0, 'C waits for B');

    const bName = b?.metadata.name;
    assert.ok(bName);
    const bDone = await h.handleCompletion(
      completionEvent({ runName: bName, runNamespace: 'ml', runId: 'b-1', runEndTime: '2026-01-15T12:30:00Z', artifacts: [{ name: 'model', location: 'gs://bucket/model/7' }] }),
    );
    assert.equal(bDone.outcome, 'dispatched');
    assert.equal(bDone.outcome === 'dispatched' && bDone.runConfiguration, 'ml/b', 'correlated through the run B was started as');
    const [c] = h.runsOf('ml/c');
    assert.deepEqual(paramsOf(c), { model: 'gs://bucket/model/7' });
    assert.equal(h.sink.runs.length, 2);
  });
});
