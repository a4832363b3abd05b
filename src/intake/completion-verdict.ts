/**
 * What the HTTP completion endpoint answers for a completion the intake took: the handler's own
 * status and outcome when it was handled in time, 202 when it is stored and will be, a dead
 * letter's 4xx. (A failure to store throws: the endpoint answers 503 and nothing was accepted.)
 */
import { completionOutcomeStatus, type CompletionOutcome } from '../chaining/completion-outcome.ts';
import type { CompletionVerdict } from '../sources/completions/handle-completion-event.ts';
import type { Submitted } from './create-intake.ts';
import { completionAnswer } from '../server/completion-answer.ts';

export function completionVerdict(submitted: Submitted<CompletionOutcome>): CompletionVerdict {
  if (submitted.state === 'done') return { status: completionOutcomeStatus(submitted.answer), body: completionAnswer(submitted.answer) };
  const { record } = submitted;
  const body = { state: submitted.state, reason: record.reason ?? null, attempts: record.attempts, ...(submitted.answer ? { outcome: completionAnswer(submitted.answer) } : {}) };
  return submitted.state === 'pending' ? { status: 202, body } : { status: record.status ?? 422, body };
}
