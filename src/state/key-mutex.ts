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
  const tails = new Map<string, Promise<void>>();
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key);
      // A key with nothing queued starts its work at once, without waiting for a turn.
      const result = previous === undefined ? start(fn) : previous.then(fn);
      const settled = (): void => {
        if (tails.get(key) === tail) tails.delete(key);
      };
      const tail = result.then(settled, settled);
      tails.set(key, tail);
      return result;
    },
    async idle(): Promise<void> {
      await Promise.all([...tails.values()]);
    },
  };
}

function start<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
