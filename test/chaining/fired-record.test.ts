import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { firedKey, readFired, recordFired, type FiredRecord } from '../../src/chaining/fired-record.ts';
import type { StateStore } from '../../src/state/store.ts';
import { mapStore } from '../support/map-store.ts';

const fired = (n: number, at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString()): FiredRecord => ({
  at,
  eventId: `e-${n}`,
  source: 'github',
  trigger: 'git[0]',
  run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ml', name: `run-${n}`, created: true },
});

/** recordFired on the store chaining works on, whose updates of one key are coalesced. */
function createFiredRecorder(store: StateStore): (runConfiguration: string, record: FiredRecord) => Promise<void> {
  const coalescing = coalesceRecordUpdates(store);
  return async (runConfiguration, record) => {
    await recordFired(coalescing, runConfiguration, record);
  };
}

test('concurrent runs of one run configuration: every call resolves, the latest run is stored, with few writes and no conflicts', async () => {
  const store = mapStore();
  const record = createFiredRecorder(store);
  const order = [3, 1, 7, 2, 20, 5, 11, 4, 9, 6];
  await Promise.all(order.map((n) => record('ml/trainer', fired(n))));
  assert.equal((await readFired(store, 'ml/trainer'))?.run.name, 'run-20');
  assert.equal(store.conflicts, 0);
  assert.ok(store.puts <= 2, `${store.puts} writes for ${order.length} runs`);
});

test('each call resolves only once a record at least as recent as its own is stored', async () => {
  const store = mapStore();
  const record = createFiredRecorder(store);
  const seen: string[] = [];
  await Promise.all(
    [1, 2, 3].map(async (n) => {
      await record('ml/trainer', fired(n));
      const stored = await readFired(store, 'ml/trainer');
      seen.push(`${n}:${stored?.eventId}`);
      assert.ok(stored !== undefined && Date.parse(stored.at) >= Date.parse(fired(n).at), `call ${n} resolved before its record was stored`);
    }),
  );
  assert.equal(seen.length, 3);
});

test('an older run never replaces a later one, also one already stored by another writer', async () => {
  const store = mapStore();
  await recordFired(coalesceRecordUpdates(store), 'ml/trainer', fired(30));
  const record = createFiredRecorder(store);
  await Promise.all([record('ml/trainer', fired(10)), record('ml/trainer', fired(12))]);
  assert.equal((await readFired(store, 'ml/trainer'))?.run.name, 'run-30');
});

test('run configurations do not wait for each other', async () => {
  const store = mapStore();
  const record = createFiredRecorder(store);
  await Promise.all([record('ml/a', fired(1)), record('ml/b', fired(2)), record('ml/a', fired(3))]);
  assert.equal((await readFired(store, 'ml/a'))?.run.name, 'run-3');
  assert.equal((await readFired(store, 'ml/b'))?.run.name, 'run-2');
});

test('a failed write rejects the calls it carried; the next ones are written', async () => {
  const store = mapStore({ failPuts: 1 });
  const record = createFiredRecorder(store);
  await assert.rejects(record('ml/trainer', fired(1)), /disk on fire/);
  await record('ml/trainer', fired(2));
  assert.equal((await store.get<FiredRecord>(firedKey('ml/trainer')))?.value.run.name, 'run-2');
});
