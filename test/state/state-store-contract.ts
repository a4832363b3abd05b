// The behaviour every StateStore must show, run against each implementation:
//
//   describeStateStoreContract('file store', async () => createFileStore({ directory: await tmp() }));
//
// `makeStore` is called once per test and must return an empty store. `expiring` makes stores with
// a retention, and lets time pass for them: a simulated clock for the file store, a real wait for
// NATS (whose server expires messages on its own clock).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StateError } from '../../src/errors.ts';
import { retentionByPrefix, type Retention } from '../../src/state/retention.ts';
import { StateConflictError, stateKey, type StateStore } from '../../src/state/store.ts';

export type MakeStore = () => Promise<StateStore>;

export interface ExpiringStores {
  /** An empty store whose records live as `retention` says. */
  make(retention: Retention): Promise<StateStore>;
  /** Lets `ms` pass for the stores `make` made. */
  elapse(ms: number): Promise<void>;
  /** The short lifetime the test gives its records (the NATS store counts in whole seconds). */
  lifetimeMs: number;
}

export function describeStateStoreContract(name: string, makeStore: MakeStore, expiring: ExpiringStores): void {
  const withStore = (title: string, body: (store: StateStore) => Promise<void>): void => {
    test(title, async () => {
      const store = await makeStore();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`${name}: StateStore contract`, () => {
    withStore('get of a missing key is undefined', async (store) => {
      assert.equal(await store.get('nothing.here'), undefined);
    });

    withStore('put returns a revision that get reports, and each put increases it', async (store) => {
      const first = await store.put('a.b', { n: 1 });
      assert.ok(Number.isSafeInteger(first) && first >= 1, `revision ${first}`);
      assert.deepEqual(await store.get('a.b'), { value: { n: 1 }, revision: first });
      const second = await store.put('a.b', { n: 2 });
      assert.ok(second > first, `${second} > ${first}`);
      assert.deepEqual(await store.get('a.b'), { value: { n: 2 }, revision: second });
    });

    withStore('compare-and-set succeeds at the current revision', async (store) => {
      const r1 = await store.put('cas', 'one');
      const r2 = await store.put('cas', 'two', r1);
      assert.ok(r2 > r1);
      assert.deepEqual(await store.get('cas'), { value: 'two', revision: r2 });
    });

    withStore('compare-and-set at a stale revision throws StateConflictError and changes nothing', async (store) => {
      const r1 = await store.put('cas', 'one');
      const r2 = await store.put('cas', 'two', r1);
      await assert.rejects(store.put('cas', 'three', r1), (error: unknown) => {
        assert.ok(error instanceof StateConflictError, String(error));
        assert.equal(error.key, 'cas');
        return true;
      });
      assert.deepEqual(await store.get('cas'), { value: 'two', revision: r2 });
    });

    withStore('expectedRevision 0 creates only: first succeeds, second conflicts', async (store) => {
      const r1 = await store.put('once', 'first', 0);
      assert.ok(r1 >= 1);
      await assert.rejects(store.put('once', 'second', 0), StateConflictError);
      assert.deepEqual(await store.get('once'), { value: 'first', revision: r1 });
    });

    withStore('a positive expectedRevision on a missing key conflicts', async (store) => {
      await assert.rejects(store.put('missing', 'x', 1), StateConflictError);
      assert.equal(await store.get('missing'), undefined);
    });

    withStore('delete removes the key; deleting a missing key is fine', async (store) => {
      await store.put('gone.soon', 1);
      await store.put('gone.later', 2);
      await store.delete('gone.soon');
      assert.equal(await store.get('gone.soon'), undefined);
      assert.deepEqual(await store.keys('gone.'), ['gone.later']);
      await store.delete('gone.soon');
      await store.delete('never.there');
      assert.equal(await store.get('never.there'), undefined);
    });

    withStore('after delete the key can be created again, and a revision from before the delete no longer matches', async (store) => {
      const before = await store.put('reborn', 'old');
      await store.delete('reborn');
      await assert.rejects(store.put('reborn', 'stale', before), StateConflictError);
      const again = await store.put('reborn', 'new', 0);
      assert.ok(again > before, `revision ${again} after delete must exceed ${before}`);
      await assert.rejects(store.put('reborn', 'stale', before), StateConflictError);
      assert.deepEqual(await store.get('reborn'), { value: 'new', revision: again });
    });

    withStore('keys lists by prefix, sorted', async (store) => {
      for (const key of ['a.y', 'a.x', 'a.x.deep', 'ab.z', 'b.q', stateKey('a', 'ns/name')]) await store.put(key, key);
      const encoded = stateKey('a', 'ns/name');
      assert.deepEqual(await store.keys('a.'), ['a.x', 'a.x.deep', 'a.y', encoded].sort());
      assert.deepEqual(await store.keys('a'), ['a.x', 'a.x.deep', 'a.y', 'ab.z', encoded].sort());
      assert.deepEqual(await store.keys('a.x'), ['a.x', 'a.x.deep']);
      assert.deepEqual(await store.keys('a.x.'), ['a.x.deep']);
      assert.deepEqual(await store.keys(''), ['a.x', 'a.x.deep', 'a.y', 'ab.z', 'b.q', encoded].sort());
      assert.deepEqual(await store.keys('zzz.'), []);
    });

    withStore('20 parallel writers incrementing one counter with compare-and-set end at exactly 20', async (store) => {
      let conflicts = 0;
      const increment = async (): Promise<void> => {
        for (let attempt = 0; attempt < 200; attempt++) {
          const current = await store.get<number>('counter');
          try {
            await store.put('counter', (current?.value ?? 0) + 1, current?.revision ?? 0);
            return;
          } catch (error) {
            if (!(error instanceof StateConflictError)) throw error;
            conflicts++;
          }
        }
        throw new Error('gave up after 200 conflicts');
      };
      await Promise.all(Array.from({ length: 20 }, increment));
      assert.equal((await store.get<number>('counter'))?.value, 20);
      assert.ok(conflicts > 0, 'writers that read the same revision must have conflicted');
    });

    withStore('values round-trip: nested JSON, unicode, edge values', async (store) => {
      const values: Array<[string, unknown]> = [
        ['nested', { a: [1, { b: { c: [true, false, null] } }], d: -0.5, e: 1e21, f: '' }],
        ['unicode', { s: 'héllo wörld 日本語 🚀 \u0301e\u200d \u2028 "quoted" \\ back\nslash\ttab' }],
        ['emoji-key', { '🔑': 'ключ', 'ключ': '🔑' }],
        ['proto', JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}')],
        ['null', null],
        ['zero', 0],
        ['string', 'just a string'],
        ['array', [[], {}, [[]]]],
      ];
      for (const [key, value] of values) await store.put(key, value);
      for (const [key, value] of values) assert.deepEqual((await store.get(key))?.value, value, key);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });

    withStore('values JSON cannot carry are refused with StateError', async (store) => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      for (const [label, value] of [
        ['undefined', undefined],
        ['function', () => 1],
        ['bigint', 1n],
        ['cycle', cyclic],
      ] as const) {
        await assert.rejects(store.put('bad', value), StateError, label);
      }
      assert.equal(await store.get('bad'), undefined);
    });

    withStore('keys that stateKey() cannot produce are refused with StateError', async (store) => {
      for (const key of ['', 'a/b', '../etc', 'a..b', '.a', 'a.', 'a b', 'a.*', 'a.>', 'ä']) {
        await assert.rejects(store.put(key, 1), StateError, `put ${JSON.stringify(key)}`);
        await assert.rejects(store.get(key), StateError, `get ${JSON.stringify(key)}`);
        await assert.rejects(store.delete(key), StateError, `delete ${JSON.stringify(key)}`);
      }
    });

    withStore('keys built by stateKey() from any string work', async (store) => {
      const key = stateKey('submissions', 'team/ns', 'event id with spaces/ü', '');
      await store.put(key, 'ok');
      assert.deepEqual((await store.get(key))?.value, 'ok');
      assert.deepEqual(await store.keys('submissions.'), [key]);
    });

    test('a record with a lifetime expires: it reads as absent, is not listed, and can be created again at a higher revision; records without one stay', async () => {
      const { lifetimeMs } = expiring;
      const retention = retentionByPrefix([
        { prefix: 'short.', lifetimeMs },
        { prefix: 'some.', lifetimeMs, applies: (value) => (value as { done?: boolean }).done === true },
      ]);
      const store = await expiring.make(retention);
      try {
        const first = await store.put('short.delivery', { run: 'a' }, 0);
        await store.put('long.latest', { artifact: 'model-1' });
        await store.put('some.done', { done: true });
        await store.put('some.pending', { done: false });
        assert.deepEqual((await store.get('short.delivery'))?.value, { run: 'a' }, 'alive within its lifetime');
        await expiring.elapse(lifetimeMs);
        const deadline = Date.now() + 10_000;
        while ((await store.get('short.delivery')) !== undefined || (await store.get('some.done')) !== undefined) {
          assert.ok(Date.now() < deadline, 'expired records still read 10 s after their lifetime');
          await expiring.elapse(100);
        }
        assert.deepEqual(await store.keys('short.'), []);
        assert.deepEqual(await store.keys('some.'), ['some.pending']);
        assert.deepEqual((await store.get('long.latest'))?.value, { artifact: 'model-1' }, 'a record without a lifetime stays');
        assert.deepEqual((await store.get('some.pending'))?.value, { done: false }, 'a value the rule does not apply to stays');
        await assert.rejects(store.put('short.delivery', { run: 'stale' }, first), StateConflictError);
        const again = await store.put('short.delivery', { run: 'b' }, 0);
        assert.ok(again > first, `created again at a higher revision (${again} > ${first})`);
        assert.deepEqual(await store.get('short.delivery'), { value: { run: 'b' }, revision: again });
      } finally {
        await store.close();
      }
    });

    test('operations after close are refused with StateError', async () => {
      const store = await makeStore();
      await store.put('k', 1);
      await store.close();
      await assert.rejects(store.get('k'), StateError);
      await assert.rejects(store.put('k', 2), StateError);
    });
  });
}
