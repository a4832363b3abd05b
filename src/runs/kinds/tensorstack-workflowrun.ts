/**
 * TensorStack `WorkflowRun` (batch.tensorstack.dev/v1beta1): `status.phase` `Succeeded`, or
 * `Failed`/`Error`, with `status.message`. No cancel field: a run is deleted.
 */
import type { RunKind } from './run-kind.ts';
import { commonTimes, optional, record, text } from './status-fields.ts';

export const TENSORSTACK_WORKFLOWRUN: RunKind = {
  group: 'batch.tensorstack.dev',
  version: 'v1beta1',
  kind: 'WorkflowRun',
  resource: 'workflowruns',
  templates: ['tensorstack-workflowrun'],
  readStatus(run) {
    const status = record(run.status);
    const p = text(status['phase']);
    const phase = p === 'Succeeded' ? 'succeeded' : p === 'Failed' || p === 'Error' ? 'failed' : 'running';
    return { phase, artifacts: [], ...optional({ ...commonTimes(status), message: status['message'] }) };
  },
  cancel: { by: 'delete' },
  labelPairs: [],
};
