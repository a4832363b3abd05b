/**
 * Serializes async work per key inside one process: `run(key, fn)` starts `fn` only after every
 * earlier `fn` for the same key has settled. Work on different keys runs concurrently. Entries are
 * dropped when a key's queue drains, so the map does not grow with the number of keys ever used.
 */
export interface KeyMutex {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Settles when all work queued so far has settled. */
  idle(): Promise<void>;
}

export function createKeyMutex(): KeyMutex {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    async idle(): Promise<void> {
      await Promise.all([...tails.values()]);
    },
  };
}
