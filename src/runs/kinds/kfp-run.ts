/**
 * KFP-Operator `Run` (pipelines.kubeflow.org/v1beta1): finished when the operator sets
 * `status.completionState` to `Succeeded` or `Failed`. No cancel field: a run is deleted.
 */
import type { RunKind } from './run-kind.ts';
import { commonTimes, optional, record, text } from './status-fields.ts';

export const KFP_RUN: RunKind = {
  group: 'pipelines.kubeflow.org',
  version: 'v1beta1',
  kind: 'Run',
  resource: 'runs',
  templates: ['kfp-run'],
  readStatus(run) {
    const status = record(run.status);
    const state = text(status['completionState']);
    const phase = state === 'Succeeded' ? 'succeeded' : state === 'Failed' ? 'failed' : 'running';
    return { phase, artifacts: [], ...optional(commonTimes(status)) };
  },
  cancel: { by: 'delete' },
  labelPairs: [],
  completionFields(spec) {
    const provider = text(spec['provider']);
    const pipelineName = text(spec['pipeline']);
    return { ...(provider ? { provider } : {}), ...(pipelineName ? { pipelineName } : {}) };
  },
};
