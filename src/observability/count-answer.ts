/**
 * Counts every answer to an event a source delivered, by its status:
 * `runbridge_event_answers_total{source, status}` — 200 (done), 202 (stored, runs to follow), the
 * 4xx of a refusal or a dead letter, 503 (nothing stored). The statuses come from the error classes
 * and the intake's answers (src/errors.ts, src/server/intake-response.ts): a bounded set. Called
 * where a delivery's answer is written (src/server/mount-routes.ts).
 */
import type { Metrics } from './metrics.ts';

export type AnswerMetrics = Pick<Metrics, 'eventAnswers'>;

export function countAnswer(metrics: AnswerMetrics, source: string, status: number): void {
  metrics.eventAnswers.inc({ source, status: String(status) });
}
