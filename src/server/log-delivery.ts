import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { LogKeys } from '../observability/log-keys.ts';
import type { Delivery } from './delivery.ts';

/**
 * Writes exactly one log line for `delivery` when its answer has been sent (or the caller went
 * away: 499). Only the constant keys are logged: never headers, never the body, so neither secrets
 * nor signatures can reach the log.
 */
export function logDelivery(res: ServerResponse, delivery: Delivery, source: string, logger: Logger, now: () => number): void {
  let logged = false;
  const log = (): void => {
    if (logged) return;
    logged = true;
    const status = res.writableFinished ? res.statusCode : 499;
    const line: Record<string, unknown> = {
      [LogKeys.eventId]: delivery.eventId,
      [LogKeys.source]: source,
      [LogKeys.eventType]: delivery.eventType,
      [LogKeys.status]: status,
      [LogKeys.durationMs]: Math.round((now() - delivery.startedAt) * 1000) / 1000,
    };
    if (delivery.runConfigurations?.length) line[LogKeys.runConfiguration] = delivery.runConfigurations;
    if (status === 499) line[LogKeys.reason] = 'caller closed the connection before the answer';
    else if (delivery.reason !== undefined) line[LogKeys.reason] = delivery.reason;
    if (delivery.error !== undefined) line['err'] = delivery.error;
    if (status >= 500) logger.error(line, 'delivery failed');
    else if (status >= 400) logger.warn(line, 'delivery rejected');
    else logger.info(line, 'delivery handled');
  };
  res.once('finish', log);
  res.once('close', log);
}
