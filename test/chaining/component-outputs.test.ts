import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ComponentOutput } from '../../src/events/event.ts';
import { completionEvent, counterValue, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

const config = [
  rc('trainer', { artifacts: [{ name: 'serving-model', path: 'Pusher:pushed_model:0[pushed == 1]' }, { name: 'model', path: 'Trainer:model' }] }),
  rc('deploy', { parameters: [{ name: 'model', ...ref('trainer', 'serving-model') }], triggers: { runConfigurations: ['trainer'] } }),
];

const outputs = (pushed: number): ComponentOutput[] => [
  { componentName: 'Trainer', outputName: 'model', artifacts: [{ name: 'model', location: 'gs://root/Trainer/model/5' }] },
  { componentName: 'Pusher', outputName: 'pushed_model', artifacts: [{ name: 'pushed_model', location: 'gs://root/Pusher/pushed_model/5', metadata: { pushed } }] },
];

describe('chaining: artifacts resolved from component outputs with KFP artifact paths', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('Pusher:pushed_model:0[pushed == 1] resolves when the model was pushed', async () => {
    h = await startHarness(config);
    const outcome = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/trainer', runId: 't1' }, { componentOutputs: outputs(1) }));
    assert.ok(outcome.outcome === 'dispatched');
    assert.deepEqual(outcome.artifacts, [
      { name: 'serving-model', location: 'gs://root/Pusher/pushed_model/5' },
      { name: 'model', location: 'gs://root/Trainer/model/5' },
    ]);
    assert.deepEqual(paramsOf(h.runsOf('ml/deploy')[0]), { model: 'gs://root/Pusher/pushed_model/5' });
    assert.equal(await counterValue(h.metrics, 'runbridge_artifact_path_misses_total'), 0);
  });

  test('a filter that does not hold is a miss with its reason: logged, counted, and no run', async () => {
    h = await startHarness(config);
    const outcome = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/trainer', runId: 't1' }, { componentOutputs: outputs(0) }));
    assert.ok(outcome.outcome === 'dispatched');
    assert.deepEqual(outcome.misses, [
      { name: 'serving-model', path: 'Pusher:pushed_model:0[pushed == 1]', reason: 'artifact 0 of Pusher:pushed_model does not match the filter: [pushed == 1] is false' },
    ]);
    assert.equal(await counterValue(h.metrics, 'runbridge_artifact_path_misses_total', { run_configuration: 'ml/trainer' }), 1);
    assert.ok(h.logs.some((l) => l['msg'] === 'artifact path matched nothing' && l['artifact'] === 'serving-model'));
    assert.equal(h.runsOf('ml/deploy').length, 0);
    assert.equal(outcome.dispatch.matched[0]?.error?.code, 'RB_PARAMETER');
  });

  test('an artifact that arrives resolved is taken as it is, not resolved again', async () => {
    h = await startHarness(config);
    await h.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/trainer', runId: 't1', artifacts: [{ name: 'serving-model', location: 'gs://given' }] }, { componentOutputs: outputs(0) }),
    );
    assert.deepEqual(paramsOf(h.runsOf('ml/deploy')[0]), { model: 'gs://given' });
  });
});
