/** Counts work in progress so shutdown can wait for it, bounded by a grace period. */
export interface InFlight {
  run<T>(work: () => Promise<T>): Promise<T>;
  count(): number;
  /** Resolves true when nothing is in flight, false when the grace period ran out first. */
  drain(graceMs: number): Promise<boolean>;
}

export function trackInFlight(): InFlight {
  let active = 0;
  let waiters: (() => void)[] = [];
  const settle = (): void => {
    if (active === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  return {
    async run(work) {
      active++;
      try {
        return await work();
      } finally {
        active--;
        settle();
      }
    },
    count: () => active,
    drain(graceMs) {
      if (active === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), graceMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
