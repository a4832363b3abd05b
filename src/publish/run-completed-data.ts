/**
 * A completion as KFP-Operator's run-completion `data` (seed 003), so that Argo Events sensors and
 * other consumers written for KFP-Operator read runbridge's events unchanged: `runName` is
 * `namespace/name` (KFP-Operator's NamespacedName), `servingModelArtifacts` is always there (empty:
 * deprecated upstream), absent optional fields are left out. runbridge's `componentOutputs` is added
 * when known.
 */
import type { Artifact, ComponentOutput, RunCompletion } from '../events/event.ts';
import { withoutUndefined } from '../events/without-undefined.ts';

export interface RunCompletedData {
  readonly status: 'succeeded' | 'failed';
  readonly provider?: string;
  readonly pipelineName?: string;
  readonly runConfigurationName?: string;
  readonly runName?: string;
  readonly runId?: string;
  readonly runStartTime?: string;
  readonly runEndTime?: string;
  readonly artifacts: readonly Artifact[];
  readonly servingModelArtifacts: readonly Artifact[];
  readonly componentOutputs?: readonly ComponentOutput[];
}

export function runCompletedData(completion: RunCompletion): RunCompletedData {
  const { runName, runNamespace } = completion;
  return withoutUndefined<RunCompletedData>({
    status: completion.status,
    provider: completion.provider,
    pipelineName: completion.pipelineName,
    runConfigurationName: completion.runConfigurationName,
    runName: runName !== undefined && runNamespace !== undefined && !runName.includes('/') ? `${runNamespace}/${runName}` : runName,
    runId: completion.runId,
    runStartTime: completion.runStartTime,
    runEndTime: completion.runEndTime,
    artifacts: completion.artifacts.map(({ name, location }) => ({ name, location })),
    servingModelArtifacts: [],
    componentOutputs: completion.componentOutputs,
  });
}
