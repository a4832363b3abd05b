/**
 * How long JetStream waits before delivering a failed completion again (the nak delay): doubling
 * from `baseMs` with each delivery, at most `capMs`. Delivery 1 failed → baseMs, 2 → 2·baseMs, …
 */
export interface RedeliveryBackoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_REDELIVERY: RedeliveryBackoff = { baseMs: 1_000, capMs: 60_000 };

export function redeliveryDelay(deliveryCount: number, backoff: RedeliveryBackoff): number {
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, Math.min(30, deliveryCount - 1)));
}
