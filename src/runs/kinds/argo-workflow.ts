/**
 * Argo Workflows `Workflow` (argoproj.io/v1alpha1): `status.phase` `Succeeded`, or `Failed`/`Error`
 * (`Pending` and `Running` before), `status.startedAt`/`finishedAt`, `status.message`, and the
 * workflow's `status.outputs.parameters[]` `{name, value}` as artifacts. Stopped by setting
 * `spec.shutdown: Terminate` (no exit handlers), which the workflow controller acts on; the object stays.
 */
import type { RunKind } from './run-kind.ts';
import { namedValues, optional, record, text } from './status-fields.ts';

export const ARGO_WORKFLOW: RunKind = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Workflow',
  resource: 'workflows',
  templates: ['argo-workflow'],
  readStatus(run) {
    const status = record(run.status);
    const p = text(status['phase']);
    const phase = p === 'Succeeded' ? 'succeeded' : p === 'Failed' || p === 'Error' ? 'failed' : 'running';
    const artifacts = namedValues(record(status['outputs'])['parameters']);
    return { phase, artifacts, ...optional({ startTime: status['startedAt'], endTime: status['finishedAt'], message: status['message'] }) };
  },
  cancel: { by: 'patch', patch: { spec: { shutdown: 'Terminate' } } },
  labelPairs: [],
};
