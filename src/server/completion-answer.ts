/**
 * A completion's outcome as a caller may see it: the dispatch it led to summarized like a webhook
 * answer (outcomeResponse: the runs' names, never where the sink wrote them — a file sink's
 * `location` is an absolute path), the rest as it is. The full outcome stays in the log.
 */
import type { CompletionOutcome, HandledCompletion } from '../chaining/completion-outcome.ts';
import { outcomeResponse } from './outcome-response.ts';

export function completionAnswer(outcome: CompletionOutcome): unknown {
  if (outcome.outcome === 'dispatched') return handled(outcome);
  if (outcome.outcome === 'duplicate') return { ...outcome, first: handled(outcome.first) };
  return outcome;
}

function handled(outcome: HandledCompletion): unknown {
  if (outcome.outcome !== 'dispatched') return outcome;
  return { ...outcome, dispatch: outcomeResponse(outcome.dispatch).body };
}
