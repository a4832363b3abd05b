/**
 * What is known about one request while it is handled: created per request by `mountRoutes`,
 * passed to the route's handler, which fills it in step by step, then read where the answer is
 * written (the `eventId` of an error answer, the rejection count) and by the delivery's log line.
 */
export interface Delivery {
  readonly startedAt: number;
  eventId?: string | undefined;
  eventType?: string | undefined;
  /** Why the delivery was rejected or failed, or what the outcome was. */
  reason?: string | undefined;
  /**
   * Run configurations the event was dispatched to, for the log line. Set (even empty) once the
   * event was dispatched: from then on a failure answer is the outcome's, not a rejection.
   */
  runConfigurations?: readonly string[] | undefined;
  /** An unexpected error, logged with its stack (never sent to the caller). */
  error?: unknown;
}

export function newDelivery(startedAt: number): Delivery {
  return { startedAt };
}
