import type { Response } from 'express';

/**
 * What is known about one webhook delivery while it is handled: filled in step by step by the
 * route's middlewares, read by the error handler (to put `eventId` in the answer) and by the
 * delivery log line when the response is finished.
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

const KEY = 'runbridgeDelivery';

export function beginDelivery(res: Response, source: string, startedAt: number): DeliveryContext {
  const context: DeliveryContext = { source, startedAt };
  res.locals[KEY] = context;
  return context;
}

export function deliveryContext(res: Response): DeliveryContext | undefined {
  const value: unknown = res.locals[KEY];
  return typeof value === 'object' && value !== null ? (value as DeliveryContext) : undefined;
}
