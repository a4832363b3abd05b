/**
 * Handles completions concurrently, up to `limit` at a time, while completions of the same run
 * (same order key) are handled one after another in the order they arrived: a redelivery or a
 * second report of a run waits for the first, so it is answered as the duplicate it is. Different
 * runs overlap; what must stay ordered between them (a late older run never replacing a newer one,
 * one run per join) is decided by compare-and-set in the state store, not by arrival order.
 *
 *   await window.admit(key, () => handle(msg)); // resolves once started: the caller takes the next message
 */
export interface HandlingWindow {
  /**
   * Waits until fewer than `limit` are in flight, then starts `work` as soon as every earlier
   * `work` with the same key has settled. Resolves when admitted, not when done; `work` must
   * handle its own errors (a rejection is swallowed).
   */
  admit(key: string, work: () => Promise<void>): Promise<void>;
  /** How many are admitted and not yet settled. */
  inFlight(): number;
  /** Settles when everything admitted so far has settled. */
  idle(): Promise<void>;
}

export function createHandlingWindow(limit: number): HandlingWindow {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`window limit must be a positive integer, got ${limit}`);
  const tails = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  const waiting: (() => void)[] = [];

  const admit = async (key: string, work: () => Promise<void>): Promise<void> => {
    while (running.size >= limit) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    const previous = tails.get(key);
    // One reaction both swallows the outcome and frees the place (it runs after `settled` is set).
    const done = (): void => {
      running.delete(settled);
      if (tails.get(key) === settled) tails.delete(key);
      waiting.shift()?.();
    };
    const settled: Promise<void> = (previous ? previous.then(work) : work()).then(done, done);
    tails.set(key, settled);
    running.add(settled);
  };

  return {
    admit,
    inFlight: () => running.size,
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
