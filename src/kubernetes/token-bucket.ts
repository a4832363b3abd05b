/**
 * Client-side rate limit for API server requests: a token bucket holding up to `burst` tokens,
 * refilled at `qps` per second. `take()` resolves when the caller may send one request.
 *
 * Each caller reserves its token at once, in call order (like Go's rate.Limiter.Reserve), so the
 * k-th waiter's deadline is exactly 1/qps after the (k-1)-th: waiters are served first in, first out,
 * and no waiter is starved by later ones.
 */
import { sleep as pause } from '../delay.ts';

export interface TokenBucketOptions {
  qps: number;
  burst: number;
  /** Milliseconds; only differences matter. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface TokenBucket {
  take(): Promise<void>;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { qps, burst } = options;
  if (!(qps > 0) || !(burst >= 1)) throw new RangeError(`token bucket needs qps > 0 and burst >= 1 (got ${qps}, ${burst})`);
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? pause;
  let tokens = burst;
  let last = clock();

  /** Takes one token now (possibly going into debt) and answers how long to wait for it. */
  const reserve = (): number => {
    const now = clock();
    tokens = Math.min(burst, tokens + ((now - last) * qps) / 1000);
    last = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (-tokens * 1000) / qps;
  };

  return {
    async take() {
      const waitMs = reserve();
      if (waitMs > 0) await sleep(waitMs);
    },
  };
}
