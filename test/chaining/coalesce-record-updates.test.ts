import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import type { StateStore } from '../../src/state/store.ts';

interface Counts {
  gets: number;
  puts: number;
}

function counting(store: StateStore, counts: Counts): StateStore {
  return {
    get: (key) => {
      counts.gets++;
      return store.get(key);
    },
    put: (key, value, expected) => {
      counts.puts++;
      return store.put(key, value, expected);
    },
    delete: (key) => store.delete(key),
    keys: (prefix) => store.keys(prefix),
    close: () => store.close(),
  };
}

describe('coalesced record updates', () => {
  let directory: string;
  let backing: StateStore;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'runbridge-coalesce-'));
    backing = createFileStore({ directory });
  });
  afterEach(async () => {
    await backing.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('concurrent updates of one key are applied in the order asked and written together', async () => {
    const counts = { gets: 0, puts: 0 };
    const store = coalesceRecordUpdates(counting(backing, counts));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.update<number[]>('chaining.latest.a', (current = []) => [...current, i])),
    );
    const expected = Array.from({ length: 20 }, (_, i) => i);
    assert.deepEqual((await backing.get<number[]>('chaining.latest.a'))?.value, expected);
    assert.deepEqual(results[0], { value: [0], changed: true }, 'each update sees what those before it left');
    assert.deepEqual(results[19], { value: expected, changed: true });
    assert.ok(counts.puts <= 2, `20 updates cost ${counts.puts} writes`);
    assert.equal(counts.gets, 1, 'the key is read once');
  });

  test('a write is tried on the remembered revision; another writer in between forces a fresh read, never a lost update', async () => {
    const counts = { gets: 0, puts: 0 };
    const store = coalesceRecordUpdates(counting(backing, counts));
    await store.update<number>('chaining.fired.a', (n = 0) => n + 1);
    await store.update<number>('chaining.fired.a', (n = 0) => n + 1);
    assert.deepEqual(counts, { gets: 1, puts: 2 }, 'the second update wrote on what the first left, without reading');
    const other = (await backing.get<number>('chaining.fired.a'))!;
    await backing.put('chaining.fired.a', other.value + 100, other.revision); // another replica
    await store.update<number>('chaining.fired.a', (n = 0) => n + 1);
    assert.equal((await backing.get<number>('chaining.fired.a'))?.value, 103);
  });

  test('leaving a key as it is is decided on a fresh read only', async () => {
    const store = coalesceRecordUpdates(backing);
    await store.update<{ failed?: boolean; resolved?: boolean }>('chaining.resolution.a', () => ({}));
    const current = (await backing.get<object>('chaining.resolution.a'))!;
    await backing.put('chaining.resolution.a', { failed: true }, current.revision); // another replica records a failure
    const result = await store.update<{ failed?: boolean; resolved?: boolean }>('chaining.resolution.a', (value) =>
      value?.failed && !value.resolved ? { ...value, resolved: true } : undefined,
    );
    assert.deepEqual(result, { value: { failed: true, resolved: true }, changed: true });
  });

  test('an update that throws fails alone; the others in its batch are written', async () => {
    const store = coalesceRecordUpdates(backing);
    const outcomes = await Promise.allSettled([
      store.update<number>('k', (n = 0) => n + 1),
      store.update<number>('k', () => {
        throw new Error('bad update');
      }),
      store.update<number>('k', (n = 0) => n + 1),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal((await backing.get<number>('k'))?.value, 2);
  });
});
