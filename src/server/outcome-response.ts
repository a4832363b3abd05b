import { outcomeStatus, type DispatchOutcome, type RunFailure } from '../dispatch/dispatch-outcome.ts';

export interface OutcomeRun {
  runConfiguration: string;
  trigger: string;
  run?: { apiVersion: string; kind: string; namespace: string; name: string; created: boolean; dryRun: boolean };
  error?: RunFailure;
  note?: string;
}

export interface OutcomeBody {
  eventId: string;
  eventType: string;
  /** One line for humans (forges show it in the delivery's response tab). */
  message: string;
  runs: OutcomeRun[];
  skipped: { runConfiguration: string; reason: string }[];
  /** How many run configurations could not concern the event (another repository, another upstream). */
  unrelated?: number;
}

/** The answer to a delivery that was dispatched: `outcomeStatus` and the outcome, summarized. */
export function outcomeResponse(outcome: DispatchOutcome): { status: number; body: OutcomeBody } {
  const runs = outcome.matched.map((m): OutcomeRun => {
    const entry: OutcomeRun = { runConfiguration: m.runConfiguration, trigger: m.trigger };
    if (m.run) {
      const { apiVersion, kind, namespace, name, created, dryRun } = m.run;
      entry.run = { apiVersion, kind, namespace, name, created, dryRun };
    }
    // An unexpected error's own text is for the log (it was logged where it happened), not the caller.
    if (m.error) entry.error = m.error.code === 'RB_INTERNAL' ? { ...m.error, message: 'internal error' } : m.error;
    if (m.note !== undefined) entry.note = m.note;
    return entry;
  });
  return {
    status: outcomeStatus(outcome),
    body: {
      eventId: outcome.eventId,
      eventType: outcome.eventType,
      message: summarize(runs),
      runs,
      skipped: outcome.skipped.map((s) => ({ runConfiguration: s.runConfiguration, reason: s.reason })),
      ...(outcome.unrelated === undefined ? {} : { unrelated: outcome.unrelated }),
    },
  };
}

function summarize(runs: readonly OutcomeRun[]): string {
  if (runs.length === 0) return 'no run configuration matched';
  const created = runs.filter((r) => !r.error && r.run?.created === true);
  const existing = runs.filter((r) => !r.error && r.run?.created === false).length;
  const failed = runs.filter((r) => r.error).length;
  const dryRun = created.length > 0 && created.every((r) => r.run?.dryRun === true);
  const parts: string[] = [];
  if (created.length > 0) parts.push(`${count(created.length)} created${dryRun ? ' (dry run)' : ''}`);
  if (existing > 0) parts.push(`${count(existing)} already existed`);
  if (failed > 0) parts.push(`${count(failed)} failed`);
  return parts.join(', ');
}

function count(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}
