/**
 * A run runbridge created, seen by the status watch, as a completion event once its engine wrote a
 * terminal status (its kind's readStatus): id `<uid>:<succeeded|failed>`, the same on every restart, so
 * the chaining core's dedupe by run id recognises a completion it has handled. The run
 * configuration comes from runbridge's own annotation; the run id is the object's uid; the data is
 * KFP-Operator's run-completion schema, as for completions from NATS.
 */
import type { RunbridgeEvent, RunCompletion } from '../../../events/event.ts';
import { withoutUndefined } from '../../../events/without-undefined.ts';
import { runCompletedData } from '../../../publish/run-completed-data.ts';
import { PROVENANCE_ANNOTATIONS } from '../../../render/provenance-keys.ts';
import type { RunKind } from '../../../runs/kinds/run-kind.ts';
import { RUN_COMPLETION_TYPE } from '../run-completion-type.ts';

export interface WatchedRun {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  spec?: unknown;
  status?: unknown;
}

export function completionFromRun(run: WatchedRun, kind: RunKind, now: Date): RunbridgeEvent | undefined {
  const uid = run.metadata?.uid;
  const status = kind.readStatus(run);
  if (status.phase === 'running' || !uid) return undefined;
  const spec = typeof run.spec === 'object' && run.spec !== null ? (run.spec as Record<string, unknown>) : {};
  const pipeline = kind.completionFields?.(spec) ?? {};
  const completion = withoutUndefined<RunCompletion>({
    status: status.phase,
    provider: pipeline.provider,
    pipelineName: pipeline.pipelineName,
    runConfigurationName: run.metadata?.annotations?.[PROVENANCE_ANNOTATIONS.runConfiguration],
    runName: run.metadata?.name,
    runNamespace: run.metadata?.namespace,
    runId: uid,
    runStartTime: status.startTime,
    runEndTime: status.endTime,
    artifacts: status.artifacts,
  });
  const end = status.endTime !== undefined && !Number.isNaN(Date.parse(status.endTime)) ? new Date(status.endTime).toISOString() : undefined;
  return {
    id: `${uid}:${status.phase}`,
    source: 'kubernetes',
    type: RUN_COMPLETION_TYPE,
    time: end ?? now.toISOString(),
    trigger: 'runConfiguration',
    data: runCompletedData(completion),
    completion,
  };
}
