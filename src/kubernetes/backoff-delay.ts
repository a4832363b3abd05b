/**
 * How long to wait before retry number `retry` (0 for the first retry): exponential backoff with
 * full jitter, `random() * min(capMs, baseMs * 2^retry)`. When the API server sent Retry-After,
 * never retry sooner than it asked (up to `maxRetryAfterMs`, so a webhook is not held for hours).
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  maxRetryAfterMs: number;
  random: () => number;
}

export const DEFAULT_BACKOFF: Omit<BackoffOptions, 'random'> = {
  baseMs: 200,
  capMs: 5_000,
  maxRetryAfterMs: 30_000,
};

export function backoffDelay(retry: number, options: BackoffOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retry);
  const jittered = Math.floor(options.random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, options.maxRetryAfterMs));
}
