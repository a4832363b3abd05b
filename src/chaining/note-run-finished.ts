/**
 * Notes in the state store that a run runbridge created has finished (`completions.<ns>.<name>`,
 * src/runs/completion-record.ts), so schedules with concurrencyPolicy Forbid/Replace know without
 * asking the run's engine. Only for runs whose namespace and name are known.
 */
import type { SubmissionRecord } from '../dispatch/submission-record.ts';
import { recordCompletion } from '../runs/completion-record.ts';
import type { StateStore } from '../state/store.ts';
import type { UpstreamRun } from './upstream-run.ts';

export async function noteRunFinished(store: StateStore, run: UpstreamRun, submission: SubmissionRecord | undefined, at: string): Promise<void> {
  const namespace = run.runNamespace ?? submission?.run.namespace;
  const name = run.runName ?? submission?.run.name;
  if (namespace === undefined || name === undefined) return;
  await recordCompletion(store, { namespace, name, status: run.status, endTime: run.endTime, recordedAt: at });
}
