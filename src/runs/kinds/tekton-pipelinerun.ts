/**
 * Tekton `PipelineRun` (tekton.dev/v1) of a Pipeline. Status as every Tekton run (`Succeeded`
 * condition, `results[]` as artifacts); cancelled by setting `spec.status: Cancelled`, which stops
 * its TaskRuns and keeps the object.
 */
import type { RunKind } from './run-kind.ts';
import { readTektonStatus } from './tekton-status.ts';

export const TEKTON_PIPELINERUN: RunKind = {
  group: 'tekton.dev',
  version: 'v1',
  kind: 'PipelineRun',
  resource: 'pipelineruns',
  templates: ['tekton-pipelinerun'],
  readStatus: readTektonStatus,
  cancel: { by: 'patch', patch: { spec: { status: 'Cancelled' } } },
  labelPairs: [],
};
