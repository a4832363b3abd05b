/**
 * OpenChoreo `WorkflowRun` (openchoreo.dev/v1alpha1): finished when the `WorkflowSucceeded` or the
 * `WorkflowFailed` condition is `True`. No cancel field: a run is deleted. OpenChoreo requires its
 * component and project labels both or neither.
 */
import type { RunKind } from './run-kind.ts';
import { commonTimes, condition, optional, record } from './status-fields.ts';

export const OPENCHOREO_WORKFLOWRUN: RunKind = {
  group: 'openchoreo.dev',
  version: 'v1alpha1',
  kind: 'WorkflowRun',
  resource: 'workflowruns',
  templates: ['openchoreo-workflowrun'],
  readStatus(run) {
    const status = record(run.status);
    const phase =
      condition(status, 'WorkflowSucceeded').status === 'True' ? 'succeeded' : condition(status, 'WorkflowFailed').status === 'True' ? 'failed' : 'running';
    return { phase, artifacts: [], ...optional(commonTimes(status)) };
  },
  cancel: { by: 'delete' },
  labelPairs: [['openchoreo.dev/component', 'openchoreo.dev/project']],
};
