/** An in-memory StateStore for unit tests of code that uses one. */
import { StateConflictError, type StateStore, type StoredValue } from '../../src/state/store.ts';

/** A compare-and-set map that answers after a turn of the event loop and counts its writes. */
export function mapStore(options: { failPuts?: number } = {}): StateStore & { puts: number; conflicts: number } {
  const values = new Map<string, StoredValue<unknown>>();
  let failPuts = options.failPuts ?? 0;
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const store = {
    puts: 0,
    conflicts: 0,
    async get<T>(key: string) {
      await tick();
      return values.get(key) as StoredValue<T> | undefined;
    },
    async put<T>(key: string, value: T, expectedRevision?: number) {
      await tick();
      if (failPuts > 0) {
        failPuts -= 1;
        throw new Error('disk on fire');
      }
      const revision = values.get(key)?.revision ?? 0;
      if (expectedRevision !== undefined && expectedRevision !== revision) {
        store.conflicts += 1;
        throw new StateConflictError(key);
      }
      store.puts += 1;
      values.set(key, { value, revision: revision + 1 });
      return revision + 1;
    },
    async delete(key: string) {
      values.delete(key);
    },
    async keys(prefix: string) {
      return [...values.keys()].filter((k) => k.startsWith(prefix));
    },
    async close() {},
  };
  return store;
}
