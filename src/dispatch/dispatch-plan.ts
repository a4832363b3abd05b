/**
 * What the completion handler decided about one completion, handed to the dispatcher with the
 * event: `dispatch(event, plan)`. It names the only run configurations the event can start, each
 * with its verdict; the upstream runs their artifact references take; and whether the event is new.
 * An event dispatched without a plan (git, schedule, manual) is matched against every run
 * configuration, and its artifact references take each upstream's latest succeeded run.
 */
import type { UpstreamRun } from '../chaining/upstream-run.ts';
import type { MatchResult } from '../triggers/match-result.ts';
import type { DispatchTarget } from './create-dispatcher.ts';

export interface DispatchPlan {
  /**
   * The key the event's runs are named and recorded under: that of the report that first entered
   * the upstream run in the ledger (`<source>:<id>`, src/events/event-key.ts), whichever source
   * reports it now, so a completion handled again through another source names the same runs.
   */
  readonly eventKey: string;
  /**
   * The run configurations the event can start (a completion: its upstream's downstreams), each
   * matched (with its trigger) or not (with the reason). Every other one is counted as unrelated.
   */
  readonly targets: readonly { readonly rc: DispatchTarget; readonly match: MatchResult }[];
  /**
   * Per run configuration (key): the upstream runs (by upstream key) its artifact references take,
   * the completed run when it succeeded and the runs a join claimed. A reference to any other
   * upstream takes the state store's latest succeeded run.
   */
  readonly upstreamRuns: ReadonlyMap<string, ReadonlyMap<string, UpstreamRun>>;
  /**
   * The event was certainly never dispatched before (its upstream run was entered in the ledger
   * just now), so there is no submission record to look up. The sink's create under the
   * deterministic run name stays the guard against a second run.
   */
  readonly neverDispatched: boolean;
  /** The upstream run configuration (key) and the run whose completion this is. */
  readonly upstream: { readonly runConfiguration: string; readonly run: UpstreamRun };
  /** The run configurations whose join this completion claimed: each one's run is noted on its claim. */
  readonly claimed: ReadonlySet<string>;
}
