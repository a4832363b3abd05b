/**
 * Read-modify-write of one state key with compare-and-set, retried when another writer (a
 * concurrent completion, another replica) changed the key in between. `update` returns the new
 * value, or `undefined` to leave the key as it is. On the store chaining wraps
 * (coalesce-record-updates.ts), concurrent updates of one key in this process share one write.
 */
import { StateError } from '../errors.ts';
import { StateConflictError, type StateStore } from '../state/store.ts';
import { MAX_UPDATE_ATTEMPTS, recordUpdatesOf, type UpdateResult } from './coalesce-record-updates.ts';

export function updateRecord<T>(store: StateStore, key: string, update: (current: T | undefined) => T | undefined): Promise<UpdateResult<T>> {
  const coalesced = recordUpdatesOf(store);
  // The coalesced update's own promise, not one more async layer around it.
  return coalesced ? coalesced.update(key, update) : updateDirectly(store, key, update);
}

async function updateDirectly<T>(store: StateStore, key: string, update: (current: T | undefined) => T | undefined): Promise<UpdateResult<T>> {
  for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
    const current = await store.get<T>(key);
    const next = update(current?.value);
    if (next === undefined) return { value: current?.value, changed: false };
    try {
      await store.put(key, next, current?.revision ?? 0);
      return { value: next, changed: true };
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
  }
  throw new StateError(`state key ${key} kept changing: gave up after ${MAX_UPDATE_ATTEMPTS} attempts`);
}
