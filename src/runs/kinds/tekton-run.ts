/**
 * Tekton `Run` (tekton.dev/v1alpha1), the legacy form of CustomRun, for clusters that still serve
 * it. Cancelled by setting `spec.status: RunCancelled`.
 */
import type { RunKind } from './run-kind.ts';
import { readTektonStatus } from './tekton-status.ts';

export const TEKTON_RUN: RunKind = {
  group: 'tekton.dev',
  version: 'v1alpha1',
  kind: 'Run',
  resource: 'runs',
  templates: ['tekton-run'],
  readStatus: readTektonStatus,
  cancel: { by: 'patch', patch: { spec: { status: 'RunCancelled' } } },
  labelPairs: [],
};
