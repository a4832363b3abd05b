import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunCompletion } from '../../src/events/event.ts';
import { completionEvent, counterValue, startHarness, type Harness } from './chaining-harness.ts';

describe('chaining: which run configuration a completion belongs to', () => {
  let h: Harness;
  let started: string;
  before(async () => {
    h = await startHarness([
      { name: 'train', namespace: 'ml', template: 'static-run', completionSources: ['nats'] },
      { name: 'report', namespace: 'ml', template: 'static-run', completionSources: ['nats'] },
      { name: 'report', namespace: 'prod', template: 'static-run', completionSources: ['nats'] },
      { name: 'single', namespace: 'prod', template: 'static-run', completionSources: ['nats'], triggers: { git: [{ branches: ['main'] }] } },
    ]);
    await h.dispatch({
      id: 'push-1', source: 'github', type: 'github.push', time: '2026-01-15T12:00:00Z', trigger: 'git', data: {},
      git: { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository: 'acme/ml', ref: 'refs/heads/main', branch: 'main', sha: 'abc', deleted: false, created: false },
    });
    started = h.runsOf('prod/single')[0]?.metadata.name ?? assert.fail('the push started prod/single');
  });
  after(() => h.close());

  const correlated: { name: string; completion: () => Partial<RunCompletion>; expected: string }[] = [
    { name: 'namespace/name', completion: () => ({ runConfigurationName: 'ml/train' }), expected: 'ml/train' },
    { name: 'an unambiguous bare name', completion: () => ({ runConfigurationName: 'train' }), expected: 'ml/train' },
    { name: 'an ambiguous bare name and the run namespace', completion: () => ({ runConfigurationName: 'report', runName: 'x', runNamespace: 'prod' }), expected: 'prod/report' },
    { name: 'an ambiguous bare name and the provider namespace', completion: () => ({ runConfigurationName: 'report', provider: 'ml/vertex-ai' }), expected: 'ml/report' },
    { name: 'a run runbridge created (runName + runNamespace)', completion: () => ({ runName: started, runNamespace: 'prod' }), expected: 'prod/single' },
    { name: 'a run runbridge created (runName as namespace/name)', completion: () => ({ runName: `prod/${started}` }), expected: 'prod/single' },
    { name: 'a run runbridge created (runName alone)', completion: () => ({ runName: started }), expected: 'prod/single' },
  ];
  for (const c of correlated) {
    test(`by ${c.name}`, async () => {
      const outcome = await h.handleCompletion(completionEvent({ status: 'failed', runId: c.name, ...c.completion() }));
      assert.ok(outcome.outcome === 'dispatched', JSON.stringify(outcome));
      assert.equal(outcome.runConfiguration, c.expected);
    });
  }

  const uncorrelated: { name: string; completion: Partial<RunCompletion>; reason: string }[] = [
    { name: 'unknown namespace/name', completion: { runConfigurationName: 'ml/nope' }, reason: 'no run configuration ml/nope is configured' },
    { name: 'unknown bare name', completion: { runConfigurationName: 'nope' }, reason: 'no run configuration named nope is configured' },
    {
      name: 'ambiguous bare name',
      completion: { runConfigurationName: 'report', provider: 'kfp/vertex' },
      reason: 'run configuration name report is ambiguous (ml/report, prod/report) and none is in namespace kfp',
    },
    { name: 'a run runbridge did not create', completion: { runName: 'someone-else', runNamespace: 'ml' }, reason: 'run ml/someone-else was not created by runbridge' },
    { name: 'nothing to go by', completion: { runId: 'x' }, reason: 'the completion names neither a run configuration (runConfigurationName) nor a run (runName)' },
  ];
  for (const c of uncorrelated) {
    test(`uncorrelated: ${c.name}`, async () => {
      const before = await counterValue(h.metrics, 'runbridge_events_received_total', { outcome: 'uncorrelated' });
      const outcome = await h.handleCompletion(completionEvent(c.completion));
      assert.deepEqual(outcome, { outcome: 'uncorrelated', eventId: outcome.eventId, reason: c.reason });
      assert.equal(await counterValue(h.metrics, 'runbridge_events_received_total', { outcome: 'uncorrelated' }), before + 1);
    });
  }
});
