/** What handling one event produced: the answer a webhook gives and the record a log line carries. */
import type { RunbridgeEvent } from '../events/event.ts';
import type { DispatchPlan } from './dispatch-plan.ts';
import type { SubmitResult } from '../runs/submitted-run.ts';

export interface RunFailure {
  readonly code: string;
  readonly status: number;
  readonly message: string;
  readonly retryable: boolean;
}

export interface RunOutcome {
  /** `namespace/name` of the run configuration. */
  readonly runConfiguration: string;
  /** Which trigger matched (`git[0]`, `schedules[1]`, `upstream`, `manual`). */
  readonly trigger: string;
  readonly run?: SubmitResult;
  readonly error?: RunFailure;
}

export interface DispatchOutcome {
  readonly eventId: string;
  readonly eventType: string;
  readonly source: string;
  /** Run configurations that matched, each with the run created (or found) or the failure. */
  readonly matched: readonly RunOutcome[];
  /** Run configurations that did not match, with the reason. */
  readonly skipped: readonly { readonly runConfiguration: string; readonly reason: string }[];
  /**
   * How many run configurations cannot concern the event, counted, not listed: for a git event,
   * those whose git triggers cannot match its repository; for a completion, those that do not name
   * its upstream in triggers.runConfigurations.
   */
  readonly unrelated?: number;
}

/** How sources hand an event on. */
export type Dispatch = (event: RunbridgeEvent) => Promise<DispatchOutcome>;

/** The dispatcher itself: also takes the plan the completion handler made for a completion. */
export type Dispatcher = (event: RunbridgeEvent, plan?: DispatchPlan) => Promise<DispatchOutcome>;

/**
 * The HTTP status for an outcome. 200 when every matched run exists now (created or found: a
 * redelivery is success) or nothing matched; otherwise never 2xx: 503 when any failure may pass
 * on retry, else the first permanent failure's status (403, 404, 422, …).
 */
export function outcomeStatus(outcome: DispatchOutcome): number {
  const failures = outcome.matched.flatMap((m) => (m.error ? [m.error] : []));
  if (failures.length === 0) return 200;
  if (failures.some((f) => f.retryable)) return 503;
  return failures[0]?.status ?? 500;
}
