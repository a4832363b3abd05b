/**
 * concurrencyPolicy for one slot, given the runs earlier slots of the run configuration created:
 * Allow starts regardless; Forbid skips the slot while one of them is still running; Replace
 * cancels those still running (as their kind allows, see RunControl) and starts the new one.
 */
import type { Schedule } from '../../config/schema.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { RunRef } from '../../runs/run-ref.ts';
import type { StateStore } from '../../state/store.ts';
import { isRunFinished } from './run-finished.ts';

export type PolicyDecision =
  | { readonly proceed: true; readonly replaced: readonly RunRef[] }
  | { readonly proceed: false; readonly running: readonly RunRef[] };

export async function applyConcurrencyPolicy(
  policy: Schedule['concurrencyPolicy'],
  previousRuns: readonly RunRef[],
  options: { store: StateStore; runControl: RunControl | undefined },
): Promise<PolicyDecision> {
  if (policy === 'Allow' || previousRuns.length === 0) return { proceed: true, replaced: [] };
  const { runControl, store } = options;
  if (!runControl) throw new Error(`concurrencyPolicy ${policy} needs a RunControl for the configured sink`);
  const running: RunRef[] = [];
  for (const run of previousRuns) {
    if (!(await isRunFinished(run, { store, runControl }))) running.push(run);
  }
  if (running.length === 0) return { proceed: true, replaced: [] };
  if (policy === 'Forbid') return { proceed: false, running };
  for (const run of running) await runControl.cancel(run);
  return { proceed: true, replaced: running };
}

/** `namespace/name` of each run, for reasons and logs. */
export function describeRuns(runs: readonly RunRef[]): string {
  return runs.map((r) => `${r.kind} ${r.namespace}/${r.name}`).join(', ');
}
