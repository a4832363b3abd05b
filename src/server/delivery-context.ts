/**
 * What is known about one webhook delivery while it is handled: filled in step by step by the
 * route's handlers, read by the error handler (to put `eventId` in the answer), by the delivery log
 * line when the response is finished, and by the rejection counter. Kept on the response object
 * (express's or a plain node:http one) under a symbol only this module knows.
 */
export interface DeliveryContext {
  readonly source: string;
  readonly startedAt: number;
  eventId?: string | undefined;
  eventType?: string | undefined;
  /** Why the delivery was rejected or failed, or what the outcome was. */
  reason?: string | undefined;
  /** Run configurations that matched, for the log line. */
  runConfigurations?: readonly string[] | undefined;
  /** An unexpected error, logged with its stack (never sent to the caller). */
  error?: unknown;
}

const KEY = Symbol('runbridge.delivery');

interface WithDelivery {
  [KEY]?: DeliveryContext;
}

export function beginDelivery(res: object, source: string, startedAt: number): DeliveryContext {
  const context: DeliveryContext = { source, startedAt };
  (res as WithDelivery)[KEY] = context;
  return context;
}

export function deliveryContext(res: object): DeliveryContext | undefined {
  return (res as WithDelivery)[KEY];
}
