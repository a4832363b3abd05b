/**
 * When a pending event is tried again: exponential backoff with full jitter (AWS's "full jitter":
 * a uniform delay between 0 and the capped exponential), bounded by the event's age rather than by
 * a count, so an event survives an outage of any length up to `maxAgeMs`.
 *
 *   nextAttempt({ attempts: 3, acceptedAtMs, nowMs }, policy) // → ms epoch, or undefined: too old
 */
export interface RetryPolicy {
  /** First delay's cap; doubles per attempt. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** An event older than this is not tried again: it becomes a dead letter. */
  readonly maxAgeMs: number;
  readonly random?: () => number;
}

export function nextAttempt(
  at: { readonly attempts: number; readonly acceptedAtMs: number; readonly nowMs: number },
  policy: RetryPolicy,
): number | undefined {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(30, Math.max(0, at.attempts - 1)));
  // Never sooner than a tenth of the cap: a burst of failures does not retry in a tight loop.
  const delay = cap / 10 + (policy.random ?? Math.random)() * (cap - cap / 10);
  const due = at.nowMs + delay;
  if (due - at.acceptedAtMs > policy.maxAgeMs) return undefined;
  return due;
}
