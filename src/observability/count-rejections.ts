/**
 * Counts deliveries that were answered without being dispatched (bad signature, malformed, too
 * large, wrong content type, not ready): `runbridge_events_rejected_total{source, reason}` and
 * `runbridge_events_received_total{source, outcome="rejected"}`. Dispatched deliveries are counted
 * by the dispatcher. Called where a delivery's answer is written (src/server/mount-routes.ts).
 */
import type { Metrics } from './metrics.ts';

export type RejectionMetrics = Pick<Metrics, 'eventsRejected' | 'eventsReceived'>;

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

export function countRejection(metrics: RejectionMetrics, source: string, status: number): void {
  metrics.eventsRejected.inc({ source, reason: rejectionReason(status) });
  metrics.eventsReceived.inc({ source, outcome: 'rejected' });
}
