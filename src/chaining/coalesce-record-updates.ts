/**
 * The state store chaining works on, with read-modify-writes of one key (`update`) coalesced in
 * this process: the updates asked for while a write of the key is in flight are applied one
 * after another, in the order they were asked, to one read of the key, and written with one
 * compare-and-set. Many completions of one run configuration then cost one write of its latest
 * runs, not a compare-and-set race among themselves.
 *
 * The value and revision last read or written are remembered (for a bounded number of keys) and
 * a write is tried on them without reading first: the compare-and-set refuses it when another
 * writer (another replica) changed the key, and the updates are applied again to a fresh read. A
 * decision to leave the key as it is is only ever taken on a fresh read.
 */
import { StateError } from '../errors.ts';
import { StateConflictError, type StateStore, type StoredValue } from '../state/store.ts';

export const MAX_UPDATE_ATTEMPTS = 50;
/** Keys whose last value is remembered. */
const REMEMBERED_KEYS = 1_000;

export interface UpdateResult<T> {
  readonly value: T | undefined;
  readonly changed: boolean;
}

export type Update<T> = (current: T | undefined) => T | undefined;

/**
 * A state store with read-modify-write of one key. `update` returns the new value, or `undefined`
 * to leave the key as it is; it is retried on a fresh read when another writer (a concurrent
 * completion, another replica) changed the key in between. Writes through `put` and `delete`
 * forget the value remembered for their key.
 */
export interface CoalescingStore extends StateStore {
  update<T>(key: string, update: Update<T>): Promise<UpdateResult<T>>;
}

interface Pending {
  readonly update: Update<unknown>;
  readonly resolve: (result: UpdateResult<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

export function coalesceRecordUpdates(store: StateStore): CoalescingStore {
  const queues = new Map<string, Pending[]>();
  const known = new Map<string, StoredValue<unknown> | null>();

  const remember = (key: string, value: StoredValue<unknown> | null): void => {
    known.delete(key);
    known.set(key, value);
    if (known.size > REMEMBERED_KEYS) known.delete(known.keys().next().value as string);
  };

  const apply = async (key: string, batch: readonly Pending[]): Promise<void> => {
    let current = known.get(key);
    let fresh = false;
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      if (current === undefined) {
        current = (await store.get<unknown>(key)) ?? null;
        remember(key, current);
        fresh = true;
      }
      let value = current?.value;
      let changed = false;
      const results = batch.map((item): UpdateResult<unknown> | { error: unknown } => {
        try {
          const next = item.update(value);
          if (next === undefined) return { value, changed: false };
          value = next;
          changed = true;
          return { value: next, changed: true };
        } catch (error) {
          return { error };
        }
      });
      if (!changed && !fresh) {
        current = undefined;
        continue;
      }
      if (changed) {
        try {
          const revision = await store.put(key, value, current?.revision ?? 0);
          remember(key, { value, revision });
        } catch (error) {
          known.delete(key);
          if (!(error instanceof StateConflictError)) throw error;
          current = undefined;
          continue;
        }
      }
      batch.forEach((item, i) => {
        const result = results[i]!;
        if ('error' in result) item.reject(result.error);
        else item.resolve(result);
      });
      return;
    }
    throw new StateError(`state key ${key} kept changing: gave up after ${MAX_UPDATE_ATTEMPTS} attempts`);
  };

  const drain = async (key: string, queue: Pending[]): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.splice(0);
      try {
        await apply(key, batch);
      } catch (error) {
        known.delete(key);
        for (const item of batch) item.reject(error);
      }
    }
    queues.delete(key);
  };

  return {
    update<T>(key: string, update: Update<T>): Promise<UpdateResult<T>> {
      return new Promise<UpdateResult<T>>((resolve, reject) => {
        const item = { update, resolve, reject } as unknown as Pending;
        const queue = queues.get(key);
        if (queue) {
          queue.push(item);
          return;
        }
        const started = [item];
        queues.set(key, started);
        void drain(key, started);
      });
    },
    get: (key) => store.get(key),
    put: async (key, value, expectedRevision) => {
      known.delete(key);
      return store.put(key, value, expectedRevision);
    },
    delete: async (key) => {
      known.delete(key);
      return store.delete(key);
    },
    keys: (prefix) => store.keys(prefix),
    close: () => store.close(),
  };
}
