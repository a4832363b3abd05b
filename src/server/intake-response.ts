/**
 * The answer to an event the intake took (docs/adr/0009-durable-intake.md):
 *   done    → 200 with its runs, as outcomeResponse gives it;
 *   pending → 202: stored, its runs follow (the reason it waits, the runs known so far);
 *   dead    → the permanent failure's 4xx, the event kept as a dead letter.
 * 503 is never answered from here: it means nothing was stored (IntakeUnavailableError).
 */
import type { DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { Submitted } from '../intake/create-intake.ts';
import { outcomeResponse, type OutcomeBody } from './outcome-response.ts';

export interface IntakeBody extends OutcomeBody {
  /** `done`, `pending` (stored, runs to follow) or `dead` (kept as a dead letter; `runbridge retry` after a fix). */
  state: 'done' | 'pending' | 'dead';
  /** A redelivery of an event accepted before: its current state, nothing new created. */
  duplicate: boolean;
  /** Pending and dead events: why. */
  reason?: string;
  /** Pending and dead events: the intake's id (`<source>:<id>`), for `runbridge status` and `runbridge retry`. */
  intakeId?: string;
}

export function intakeResponse(submitted: Submitted<DispatchOutcome>, event: { readonly id: string; readonly type: string }): { status: number; body: IntakeBody } {
  const { state, duplicate } = submitted;
  const answer = submitted.answer && duplicate ? asRedelivery(submitted.answer) : submitted.answer;
  const outcome = answer ? outcomeResponse(answer).body : { eventId: event.id, eventType: event.type, message: '', runs: [], skipped: [] };
  if (submitted.state === 'done') return { status: 200, body: { ...outcome, state, duplicate } };
  const { reason, id: intakeId } = submitted.record;
  if (submitted.state === 'dead') {
    const message = `not processed: ${reason ?? 'permanent failure'}; kept as a dead letter (runbridge retry ${intakeId} after a fix)`;
    return { status: submitted.record.status ?? 422, body: { ...outcome, message, state, duplicate, intakeId, ...(reason ? { reason } : {}) } };
  }
  const waiting = reason ? ` (${reason})` : '';
  const message = `stored: its runs will be created as soon as they can be${waiting}; follow with runbridge status`;
  return { status: 202, body: { ...outcome, message, state, duplicate, intakeId, ...(reason ? { reason } : {}) } };
}

/**
 * A redelivery created nothing: when it shares the attempt of the delivery it repeats (both arrived
 * together), its answer names the same runs as already existing.
 */
function asRedelivery(outcome: DispatchOutcome): DispatchOutcome {
  return { ...outcome, matched: outcome.matched.map((m) => (m.run ? { ...m, run: { ...m.run, created: false } } : m)) };
}
