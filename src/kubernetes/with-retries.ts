import { backoffDelay, type BackoffOptions } from './backoff-delay.ts';
import { classifyFailure, type Failure } from './classify-failure.ts';
import type { TokenBucket } from './token-bucket.ts';

/**
 * Runs one API request with the client-side rate limit before every attempt and retries of the
 * failures classifyFailure() calls retryable, at most `maxAttempts` attempts in all. Never throws:
 * the caller decides what a failure means (a 409 AlreadyExists on create is good news).
 */
export interface RetryOptions {
  maxAttempts: number;
  limiter: TokenBucket;
  backoff: BackoffOptions;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Called right before each attempt is sent (1-based). */
  onAttempt?: (attempt: number) => void;
  /** Called after a retryable failure, before waiting `delayMs`. */
  onRetry?: (failure: Failure, attempt: number, delayMs: number) => void;
}

export type Outcome<T> = { ok: true; value: T; attempts: number } | { ok: false; failure: Failure; attempts: number };

export async function withRetries<T>(operation: () => Promise<T>, options: RetryOptions): Promise<Outcome<T>> {
  for (let attempt = 1; ; attempt++) {
    await options.limiter.take();
    options.onAttempt?.(attempt);
    try {
      return { ok: true, value: await operation(), attempts: attempt };
    } catch (error) {
      const failure = classifyFailure(error, options.clock());
      if (!failure.retryable || attempt >= options.maxAttempts) return { ok: false, failure, attempts: attempt };
      const delayMs = backoffDelay(attempt - 1, options.backoff, failure.retryAfterMs);
      options.onRetry?.(failure, attempt, delayMs);
      await options.sleep(delayMs);
    }
  }
}
