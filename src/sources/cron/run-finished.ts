/**
 * Whether a run a schedule created is over: a completion noted in the state store says so;
 * otherwise the run's own status, read back through RunControl (a run that is gone is over).
 */
import { interpretRunStatus } from '../../runs/interpret-run-status.ts';
import { findCompletion } from '../../runs/completion-record.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { RunRef } from '../../runs/run-ref.ts';
import type { StateStore } from '../../state/store.ts';

export async function isRunFinished(run: RunRef, options: { store: StateStore; runControl: RunControl }): Promise<boolean> {
  if (await findCompletion(options.store, run)) return true;
  const live = await options.runControl.get(run);
  return live === undefined || interpretRunStatus(live).phase !== 'running';
}
