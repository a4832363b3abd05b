/**
 * The run kinds runbridge knows (one module each under kinds/), found by group/version/kind. A kind
 * not listed can still be created by a user template; runbridge cannot read its status or stop it,
 * so the status watch and concurrencyPolicy Forbid/Replace refuse it (at load, see
 * config/validate-run-kind.ts, and in interpretRunStatus).
 */
import { formatGroupVersionKind, parseGroupVersionKind } from '../kubernetes/group-version-kind.ts';
import { ARGO_WORKFLOW } from './kinds/argo-workflow.ts';
import { KFP_RUN } from './kinds/kfp-run.ts';
import { OPENCHOREO_WORKFLOWRUN } from './kinds/openchoreo-workflowrun.ts';
import type { RunKind } from './kinds/run-kind.ts';
import { TEKTON_CUSTOMRUN } from './kinds/tekton-customrun.ts';
import { TEKTON_PIPELINERUN } from './kinds/tekton-pipelinerun.ts';
import { TEKTON_RUN } from './kinds/tekton-run.ts';
import { TENSORSTACK_WORKFLOWRUN } from './kinds/tensorstack-workflowrun.ts';

export const RUN_KINDS: readonly RunKind[] = [
  KFP_RUN,
  TEKTON_CUSTOMRUN,
  TEKTON_RUN,
  OPENCHOREO_WORKFLOWRUN,
  TENSORSTACK_WORKFLOWRUN,
  TEKTON_PIPELINERUN,
  ARGO_WORKFLOW,
];

export function findRunKind(apiVersion: string, kind: string, kinds: readonly RunKind[] = RUN_KINDS): RunKind | undefined {
  const gvk = parseGroupVersionKind(apiVersion, kind);
  return kinds.find((k) => k.group === gvk.group && k.version === gvk.version && k.kind === gvk.kind);
}

/** `tekton.dev/v1 PipelineRun, …`: the known kinds, for messages. */
export function describeRunKinds(kinds: readonly RunKind[] = RUN_KINDS): string {
  return kinds.map((k) => formatGroupVersionKind(k)).join(', ');
}
