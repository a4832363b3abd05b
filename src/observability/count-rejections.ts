/**
 * Counts webhook deliveries that were answered without being dispatched (bad signature, malformed,
 * too large, wrong content type, not ready): `runbridge_events_rejected_total{source, reason}` and
 * `runbridge_events_received_total{source, outcome="rejected"}`. Dispatched deliveries are counted
 * by the dispatcher. Hooked on the HTTP server's request listener, it reads the delivery context
 * the webhook routes keep (src/server/delivery-context.ts) once the answer has been sent.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { deliveryContext } from '../server/delivery-context.ts';
import type { Metrics } from './metrics.ts';

/** The rejection reason by HTTP status; each status comes from one error class (src/errors.ts). */
export const REJECTION_REASONS: Readonly<Record<number, string>> = {
  400: 'malformed',
  401: 'signature',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'too_large',
  415: 'content_type',
  503: 'not_ready',
};

export function rejectionReason(status: number): string {
  return REJECTION_REASONS[status] ?? (status >= 500 ? 'internal' : 'other');
}

export function countRejections(listener: RequestListener, metrics: Pick<Metrics, 'eventsRejected' | 'eventsReceived'>): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.once('finish', () => {
      // The delivery context is kept on the response object; express's response is this one too.
      const context = deliveryContext(res as unknown as Response);
      if (!context || context.runConfigurations !== undefined || res.statusCode < 400) return;
      const labels = { source: context.source, reason: rejectionReason(res.statusCode) };
      metrics.eventsRejected.inc(labels);
      metrics.eventsReceived.inc({ source: context.source, outcome: 'rejected' });
    });
    listener(req, res);
  };
}
