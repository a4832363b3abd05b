/**
 * What handling one completion event produced, for the completion source (ack, nak, HTTP answer)
 * and for logs. Only `dispatched` can carry failures; the others are answered as success: an
 * uncorrelated, duplicate or stale completion will not get better by being delivered again. An
 * untrusted one is refused (403): its source may not say what it says.
 */
import type { ArtifactMiss } from '../artifacts/resolve-artifact-path.ts';
import { outcomeStatus, type DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { Artifact } from '../events/event.ts';

/** A completion that was handled to the end (recorded in the ledger, returned again for duplicates). */
export type HandledCompletion =
  | {
      readonly outcome: 'dispatched';
      readonly eventId: string;
      /** `namespace/name` of the upstream run configuration. */
      readonly runConfiguration: string;
      /** The upstream run (name, else id). */
      readonly run: string;
      readonly artifacts: readonly Artifact[];
      readonly misses: readonly ArtifactMiss[];
      readonly dispatch: DispatchOutcome;
    }
  | {
      readonly outcome: 'stale';
      readonly eventId: string;
      readonly runConfiguration: string;
      readonly run: string;
      readonly reason: string;
    };

export type CompletionOutcome =
  | HandledCompletion
  | { readonly outcome: 'uncorrelated'; readonly eventId: string; readonly reason: string }
  /** Not believed from its source (trust-completion.ts): nothing recorded, nothing started. */
  | { readonly outcome: 'untrusted'; readonly eventId: string; readonly runConfiguration: string; readonly reason: string }
  | {
      readonly outcome: 'duplicate';
      readonly eventId: string;
      readonly runConfiguration: string;
      readonly run: string;
      /** What the first delivery of this upstream run produced. */
      readonly first: HandledCompletion;
    };

/** The HTTP status (and ack decision: 2xx acks, 4xx terminates) for a completion's outcome. */
export function completionOutcomeStatus(outcome: CompletionOutcome): number {
  if (outcome.outcome === 'untrusted') return 403;
  return outcome.outcome === 'dispatched' ? outcomeStatus(outcome.dispatch) : 200;
}
