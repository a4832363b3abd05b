import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { LogKeys } from '../observability/log-keys.ts';
import { beginDelivery, type DeliveryContext } from './delivery-context.ts';

/**
 * Starts the delivery context and writes exactly one log line per delivery when the answer has
 * been sent (or the caller went away). Only the constant keys are logged: never headers, never the
 * body, so neither secrets nor signatures can reach the log.
 */
export function trackDelivery(res: ServerResponse, logger: Logger, source: string, now: () => number = () => performance.now()): DeliveryContext {
  const context = beginDelivery(res, source, now());
  let logged = false;
  const log = (): void => {
    if (logged) return;
    logged = true;
    const status = res.writableFinished ? res.statusCode : 499;
    const line: Record<string, unknown> = {
      [LogKeys.eventId]: context.eventId,
      [LogKeys.source]: context.source,
      [LogKeys.eventType]: context.eventType,
      [LogKeys.status]: status,
      [LogKeys.durationMs]: Math.round((now() - context.startedAt) * 1000) / 1000,
    };
    if (context.runConfigurations?.length) line[LogKeys.runConfiguration] = context.runConfigurations;
    if (status === 499) line[LogKeys.reason] = 'caller closed the connection before the answer';
    else if (context.reason !== undefined) line[LogKeys.reason] = context.reason;
    if (context.error !== undefined) line['err'] = context.error;
    if (status >= 500) logger.error(line, 'delivery failed');
    else if (status >= 400) logger.warn(line, 'delivery rejected');
    else logger.info(line, 'delivery handled');
  };
  res.once('finish', log);
  res.once('close', log);
  return context;
}

/** trackDelivery as the first express middleware of a route. */
export function logDeliveries(logger: Logger, source: string, now?: () => number): RequestHandler {
  return (_req, res, next) => {
    trackDelivery(res, logger, source, now);
    next();
  };
}
