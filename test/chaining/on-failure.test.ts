import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { completionEvent, paramsOf, rc, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: triggers.upstream.on', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  const cases: { on: 'succeeded' | 'failed' | 'completed'; status: 'succeeded' | 'failed'; fires: boolean; reason?: string }[] = [
    { on: 'succeeded', status: 'succeeded', fires: true },
    { on: 'succeeded', status: 'failed', fires: false, reason: 'upstream ml/train failed; triggers.upstream.on is succeeded' },
    { on: 'failed', status: 'failed', fires: true },
    { on: 'failed', status: 'succeeded', fires: false, reason: 'upstream ml/train succeeded; triggers.upstream.on is failed' },
    { on: 'completed', status: 'succeeded', fires: true },
    { on: 'completed', status: 'failed', fires: true },
  ];
  for (const c of cases) {
    test(`on: ${c.on}, upstream ${c.status} → ${c.fires ? 'starts a run' : 'no run'}`, async () => {
      h = await startHarness([
        rc('train'),
        rc('notify', {
          parameters: [
            { name: 'failed-run', valueFrom: { event: 'upstreamRunName' } },
            { name: 'status', valueFrom: { event: 'upstreamStatus' } },
          ],
          triggers: { runConfigurations: ['train'], upstream: { on: c.on } },
        }),
      ]);
      const outcome = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/train', runName: 'train-7', runId: 'id-7', status: c.status }));
      assert.ok(outcome.outcome === 'dispatched');
      assert.equal(h.runsOf('ml/notify').length, c.fires ? 1 : 0);
      if (c.fires) assert.deepEqual(paramsOf(h.runsOf('ml/notify')[0]), { 'failed-run': 'train-7', status: c.status });
      else assert.equal(outcome.dispatch.skipped.find((s) => s.runConfiguration === 'ml/notify')?.reason, c.reason);
    });
  }
});
