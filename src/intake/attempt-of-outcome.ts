/**
 * How the intake reads what the event's path produced: every matched run exists (or nothing
 * matched) → done; a failure that may pass → retry; only failures no retry can fix → dead.
 */
import type { CompletionOutcome } from '../chaining/completion-outcome.ts';
import type { DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { AttemptResult } from './attempt-result.ts';

export function attemptOfDispatch(outcome: DispatchOutcome): AttemptResult<DispatchOutcome> {
  const failures = outcome.matched.flatMap((m) => (m.error ? [{ runConfiguration: m.runConfiguration, ...m.error }] : []));
  if (failures.length === 0) return { result: 'done', answer: outcome };
  const passing = failures.find((f) => f.retryable);
  if (passing) return { result: 'retry', reason: `${passing.runConfiguration}: ${passing.message}`, answer: outcome };
  const first = failures[0]!;
  return { result: 'dead', reason: `${first.runConfiguration}: ${first.message}`, status: first.status, answer: outcome };
}

export function attemptOfCompletion(outcome: CompletionOutcome): AttemptResult<CompletionOutcome> {
  if (outcome.outcome === 'untrusted') return { result: 'dead', reason: outcome.reason, status: 403, answer: outcome };
  if (outcome.outcome !== 'dispatched') return { result: 'done', answer: outcome };
  const attempt = attemptOfDispatch(outcome.dispatch);
  return attempt.result === 'done'
    ? { result: 'done', answer: outcome }
    : attempt.result === 'retry'
      ? { result: 'retry', reason: attempt.reason, answer: outcome }
      : { result: 'dead', reason: attempt.reason, status: attempt.status, answer: outcome };
}
