/**
 * Tekton `CustomRun` (tekton.dev/v1beta1) of a custom task. Cancelled by setting
 * `spec.status: CustomRunCancelled`: the custom task's controller winds it down and the object stays.
 */
import type { RunKind } from './run-kind.ts';
import { readTektonStatus } from './tekton-status.ts';

export const TEKTON_CUSTOMRUN: RunKind = {
  group: 'tekton.dev',
  version: 'v1beta1',
  kind: 'CustomRun',
  resource: 'customruns',
  templates: ['tekton-customrun'],
  readStatus: readTektonStatus,
  cancel: { by: 'patch', patch: { spec: { status: 'CustomRunCancelled' } } },
  labelPairs: [],
};
