/**
 * Failed authentications counted per client address in fixed windows: after `maxFailures` within
 * `windowMs`, the client is refused until its window ends. Memory is bounded: at most `maxClients`
 * addresses are remembered; past that the one that failed least recently is forgotten first.
 *
 *   const attempts = failedAttempts({ maxFailures: 10, windowMs: 60_000 });
 *   const wait = attempts.retryAfterMs(address); // > 0: refuse, say Retry-After
 *   if (!authenticated) attempts.fail(address);
 */
export interface FailedAttempts {
  /** Milliseconds until `client` may try again; 0 when it may now. */
  retryAfterMs(client: string): number;
  fail(client: string): void;
  /** Addresses remembered (for tests of the bound). */
  size(): number;
}

export interface FailedAttemptsOptions {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly maxClients?: number;
  readonly clock?: () => number;
}

interface Window {
  readonly start: number;
  failures: number;
}

export function failedAttempts(options: FailedAttemptsOptions): FailedAttempts {
  const { maxFailures, windowMs } = options;
  const maxClients = options.maxClients ?? 10_000;
  const now = options.clock ?? Date.now;
  const windows = new Map<string, Window>();

  return {
    retryAfterMs(client) {
      const window = windows.get(client);
      if (!window || window.failures < maxFailures) return 0;
      return Math.max(0, window.start + windowMs - now());
    },
    fail(client) {
      const at = now();
      const window = windows.get(client);
      windows.delete(client); // re-inserted last: Map order is least recently failed first
      if (window && at < window.start + windowMs) windows.set(client, { start: window.start, failures: window.failures + 1 });
      else windows.set(client, { start: at, failures: 1 });
      if (windows.size > maxClients) {
        const oldest = windows.keys().next().value;
        if (oldest !== undefined) windows.delete(oldest);
      }
    },
    size: () => windows.size,
  };
}
