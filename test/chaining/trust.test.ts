// Completions are believed only as far as their source: each test is an attack and what stops it.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ledgerKey } from '../../src/chaining/completion-ledger.ts';
import { completionOutcomeStatus } from '../../src/chaining/completion-outcome.ts';
import { latestRunsKey } from '../../src/chaining/latest-runs.ts';
import { attemptOfCompletion } from '../../src/intake/attempt-of-outcome.ts';
import { createMemorySink, type MemorySink } from '../../src/sinks/memory-sink.ts';
import { completionEvent, counterValue, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

/** A memory sink that reports a uid per run, as the Kubernetes sink does. */
function sinkWithUids(): MemorySink {
  const memory = createMemorySink();
  return { ...memory, submit: async (run, options) => ({ ...(await memory.submit(run, options)), uid: `uid-of-${run.metadata.name}` }) };
}

const untrustedCount = (h: Harness): Promise<number> => counterValue(h.metrics, 'runbridge_events_received_total', { outcome: 'untrusted' });

describe('trust completions only as far as their source', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('a completion of a run runbridge did not create, from a source its run configuration does not list, is refused and changes nothing', async () => {
    h = await startHarness([
      rc('model', { completionSources: [], artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
      rc('deploy', { parameters: [{ name: 'model', ...ref('model', 'model') }], triggers: { runConfigurations: ['model'] } }),
    ]);
    const forged = completionEvent({ runConfigurationName: 'ml/model', runId: 'evil', artifacts: [{ name: 'model', location: 'gs://attacker/model' }] }, { source: 'http' });
    const outcome = await h.handleCompletion(forged);
    assert.ok(outcome.outcome === 'untrusted', JSON.stringify(outcome));
    assert.match(outcome.reason, /runbridge did not create this run, and ml\/model believes completions of such runs from no source \(completionSources\); this one came from http/);
    assert.equal(completionOutcomeStatus(outcome), 403);
    assert.deepEqual(attemptOfCompletion(outcome), { result: 'dead', reason: outcome.reason, status: 403, answer: outcome }, 'the intake keeps it as a dead letter');
    assert.equal(h.runsOf('ml/deploy').length, 0);
    assert.equal(await h.store.get(ledgerKey('ml/model', 'evil')), undefined, 'nothing entered in the ledger');
    assert.equal(await h.store.get(latestRunsKey('ml/model')), undefined, 'the latest artifacts are untouched');
    assert.equal(await untrustedCount(h), 1);
    assert.ok(h.logs.some((l) => l['msg'] === 'completion not believed: nothing recorded, nothing starts' && l['reason'] === outcome.reason));
  });

  test('listed sources are believed; others are not', async () => {
    h = await startHarness([rc('model', { completionSources: ['nats'] }), rc('deploy', { triggers: { runConfigurations: ['model'] } })]);
    assert.equal((await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/model', runId: 'r1' }, { source: 'http' }))).outcome, 'untrusted');
    assert.equal((await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/model', runId: 'r1' }, { source: 'nats' }))).outcome, 'dispatched');
  });

  test('a far-future end time is not believed, so it cannot pin its artifact against later genuine completions', async () => {
    h = await startHarness([
      rc('model', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
      rc('deploy', { parameters: [{ name: 'model', ...ref('model', 'model') }], triggers: { runConfigurations: ['model'] } }),
    ]);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const pinned = await h.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/model', runId: 'pin', runEndTime: future, artifacts: [{ name: 'model', location: 'gs://attacker/model' }] }),
    );
    assert.ok(pinned.outcome === 'untrusted');
    assert.match(pinned.reason, /^end time .* is later than its arrival .* plus completions\.maxClockSkewSeconds \(300 s\)$/);
    const skewed = new Date(Date.now() + 60_000).toISOString();
    const genuine = await h.handleCompletion(
      completionEvent({ runConfigurationName: 'ml/model', runId: 'real', runEndTime: skewed, artifacts: [{ name: 'model', location: 'gs://bucket/model/2' }] }),
    );
    assert.equal(genuine.outcome, 'dispatched', 'within the skew, and not stale');
    assert.deepEqual(paramsOf(h.runsOf('ml/deploy')[0]), { model: 'gs://bucket/model/2' });
  });

  test('the status watch: an object runbridge did not create, or one with another uid, is ignored, logged and counted', async () => {
    h = await startHarness([rc('model', { triggers: { git: [{}] } }), rc('deploy', { triggers: { runConfigurations: ['model'] } })], { sink: sinkWithUids() });
    await h.dispatch({
      id: 'push-1', source: 'github', type: 'github.push', time: '2026-01-15T12:00:00Z', trigger: 'git', data: {},
      git: { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository: 'acme/ml', ref: 'refs/heads/main', branch: 'main', sha: 'abc', deleted: false, created: false },
    });
    const name = h.runsOf('ml/model')[0]?.metadata.name ?? assert.fail('the push started ml/model');
    const watched = (uid: string, runName: string) =>
      completionEvent({ runConfigurationName: 'ml/model', runName, runNamespace: 'ml', runId: uid }, { id: `${uid}:succeeded`, source: 'kubernetes' });

    const stranger = await h.handleCompletion(watched('uid-stranger', 'made-by-someone-else'));
    assert.ok(stranger.outcome === 'untrusted');
    assert.match(stranger.reason, /the status watch reports only runs runbridge created/);
    const impostor = await h.handleCompletion(watched('uid-impostor', name));
    assert.ok(impostor.outcome === 'untrusted', 'same name (deleted and created again by someone else), another uid');
    assert.match(impostor.reason, new RegExp(`object ml/${name} has uid uid-impostor, not the uid runbridge recorded when it created the run \\(uid-of-${name}\\)`));
    assert.equal(h.runsOf('ml/deploy').length, 0);
    assert.equal(await untrustedCount(h), 2);

    const own = await h.handleCompletion(watched(`uid-of-${name}`, name));
    assert.equal(own.outcome, 'dispatched');
    assert.equal(h.runsOf('ml/deploy').length, 1);
  });

  test('a completion for a run runbridge created must name that run\'s run configuration, if it names one', async () => {
    h = await startHarness([rc('model', { triggers: { git: [{}] } }), rc('other', { completionSources: [] }), rc('deploy', { triggers: { runConfigurations: ['other'] } })]);
    await h.dispatch({
      id: 'push-2', source: 'github', type: 'github.push', time: '2026-01-15T12:00:00Z', trigger: 'git', data: {},
      git: { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository: 'acme/ml', ref: 'refs/heads/main', branch: 'main', sha: 'abc', deleted: false, created: false },
    });
    const name = h.runsOf('ml/model')[0]?.metadata.name ?? assert.fail('the push started ml/model');
    const outcome = await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/other', runName: name, runNamespace: 'ml', runId: 'r' }));
    assert.ok(outcome.outcome === 'untrusted');
    assert.match(outcome.reason, new RegExp(`names run configuration ml/other, but runbridge created run ml/${name} for ml/model`));
    assert.equal(h.runsOf('ml/deploy').length, 0);
  });
});
