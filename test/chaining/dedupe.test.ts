import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { SinkError } from '../../src/errors.ts';
import { ledgerKey, type LedgerEntry } from '../../src/chaining/completion-ledger.ts';
import { createMemorySink } from '../../src/sinks/memory-sink.ts';
import { completionEvent, counterValue, paramsOf, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

const config = [
  rc('a', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
  rc('b', { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { runConfigurations: ['a'] } }),
];
const completion = { runConfigurationName: 'ml/a', runId: 'run-1', artifacts: [{ name: 'model', location: 'gs://m/1' }] };

describe('chaining: the same upstream run completing twice', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('a redelivery (same event id) and a second report (another source, another id) start nothing new', async () => {
    h = await startHarness(config);
    const first = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    assert.equal(first.outcome, 'dispatched');
    const redelivered = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    const otherSource = await h.handleCompletion(completionEvent(completion, { id: 'watch-xyz', source: 'http' }));
    for (const duplicate of [redelivered, otherSource]) {
      assert.equal(duplicate.outcome, 'duplicate');
      assert.ok(duplicate.outcome === 'duplicate');
      assert.deepEqual(duplicate.first, first, 'a duplicate answers with the first outcome');
    }
    assert.equal(h.runsOf('ml/b').length, 1);
    assert.equal(await counterValue(h.metrics, 'runbridge_events_received_total', { outcome: 'duplicate' }), 2);
  });

  test('the ledger mark leaves out what the entry holds, and a duplicate gets the first outcome back whole, in the same order', async () => {
    h = await startHarness(config);
    const first = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    assert.ok(first.outcome === 'dispatched');
    assert.deepEqual(first.artifacts, [{ name: 'model', location: 'gs://m/1' }]);
    const stored = (await h.store.get<Record<string, Record<string, unknown>>>(ledgerKey('ml/a', 'run-1')))?.value;
    assert.ok(stored?.['handled']);
    assert.deepEqual(Object.keys(stored['handled']), ['eventId', 'outcome', 'dispatch'], 'upstream, run, artifacts and misses are the entry\'s own');
    assert.deepEqual(stored['run']?.['artifacts'], first.artifacts);
    const duplicate = await h.handleCompletion(completionEvent(completion, { id: 'ev-2', source: 'http' }));
    assert.ok(duplicate.outcome === 'duplicate');
    assert.equal(JSON.stringify(duplicate.first), JSON.stringify(first));
  });

  test('a ledger mark written whole (by an earlier version) is read as it is', async () => {
    h = await startHarness(config);
    const first = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    assert.ok(first.outcome === 'dispatched');
    const key = ledgerKey('ml/a', 'run-1');
    const stored = await h.store.get<LedgerEntry>(key);
    assert.ok(stored);
    const whole = { ...first, runConfiguration: 'ml/a-as-written', artifacts: [{ name: 'model', location: 'gs://as-written' }] };
    await h.store.put(key, { ...stored.value, handled: whole }, stored.revision);
    const duplicate = await h.handleCompletion(completionEvent(completion, { id: 'ev-2' }));
    assert.ok(duplicate.outcome === 'duplicate');
    assert.deepEqual(duplicate.first, whole);
  });

  test('concurrent deliveries of the same run start one run', async () => {
    h = await startHarness(config);
    const outcomes = await Promise.all(['x1', 'x2', 'x3', 'x4'].map((id) => h!.handleCompletion(completionEvent(completion, { id }))));
    assert.equal(h.runsOf('ml/b').length, 1);
    const created = outcomes.flatMap((o) => (o.outcome === 'dispatched' ? o.dispatch.matched.filter((m) => m.run?.created) : []));
    assert.equal(created.length, 1);
  });

  test('a completion whose run could not be created is handled again when reported again, under the first event id', async () => {
    const memory = createMemorySink();
    let failures = 1;
    const flaky = {
      ...memory,
      submit: async (...args: Parameters<typeof memory.submit>) => {
        if (failures-- > 0) throw new SinkError('API server unavailable', { status: 503, retryable: true });
        return memory.submit(...args);
      },
    };
    h = await startHarness(config, { sink: flaky });
    const first = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    assert.ok(first.outcome === 'dispatched');
    assert.equal(first.dispatch.matched[0]?.error?.retryable, true);
    assert.equal(h.runsOf('ml/b').length, 0);

    const again = await h.handleCompletion(completionEvent(completion, { id: 'ev-2-from-another-source' }));
    assert.ok(again.outcome === 'dispatched', 'not answered as a duplicate: the first handling did not finish');
    assert.equal(again.dispatch.eventId, 'nats:ev-1', 'dispatched under the first event\'s key, so the run name is the same');
    assert.equal(h.runsOf('ml/b').length, 1);
    assert.deepEqual(paramsOf(h.runsOf('ml/b')[0]), { model: 'gs://m/1' });
    assert.equal((await h.handleCompletion(completionEvent(completion, { id: 'ev-3' }))).outcome, 'duplicate');
  });

  test('handled again after a crash between the submission record and the ledger mark, it finds its run through the record and submits nothing', async () => {
    const memory = createMemorySink();
    let submits = 0;
    const counting = { ...memory, submit: async (...args: Parameters<typeof memory.submit>) => (submits++, memory.submit(...args)) };
    h = await startHarness(config, { sink: counting });
    const first = await h.handleCompletion(completionEvent(completion, { id: 'ev-1' }));
    assert.ok(first.outcome === 'dispatched');
    assert.equal(first.dispatch.matched[0]?.run?.created, true);
    assert.equal(submits, 1, 'a first report submits without a dedupe lookup, once');
    // The crash: the run was created and recorded, but the ledger entry never got `handled`.
    const key = ledgerKey('ml/a', 'run-1');
    const stored = await h.store.get<LedgerEntry>(key);
    assert.ok(stored?.value.handled);
    const { handled: _handled, ...unhandled } = stored.value;
    await h.store.put(key, unhandled, stored.revision);

    const again = await h.handleCompletion(completionEvent(completion, { id: 'ev-2' }));
    assert.ok(again.outcome === 'dispatched', 'the entry was not marked handled, so the run is handled again');
    assert.equal(again.dispatch.eventId, 'nats:ev-1');
    assert.equal(again.dispatch.matched[0]?.run?.created, false, 'the run found through its submission record');
    assert.equal(again.dispatch.matched[0]?.run?.name, first.dispatch.matched[0]?.run?.name);
    assert.equal(submits, 1, 'nothing submitted the second time');
    assert.equal(h.runsOf('ml/b').length, 1);
  });
});
