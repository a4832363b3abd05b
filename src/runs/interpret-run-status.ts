/**
 * Reads a run object's status the way its engine writes it, so that a run runbridge created can be
 * known finished without the engine publishing events: KFP-Operator `status.completionState`,
 * Tekton `Succeeded` condition (results as artifacts), OpenChoreo `WorkflowSucceeded`/`WorkflowFailed`
 * conditions, TensorStack `status.phase`.
 */
import type { Artifact } from '../events/event.ts';

export type RunPhase = 'running' | 'succeeded' | 'failed';

export interface RunStatus {
  readonly phase: RunPhase;
  readonly artifacts: readonly Artifact[];
  readonly startTime?: string;
  readonly endTime?: string;
  readonly message?: string;
}

interface Condition {
  type?: unknown;
  status?: unknown;
  message?: unknown;
  lastTransitionTime?: unknown;
}

export function interpretRunStatus(run: { apiVersion?: unknown; kind?: unknown; status?: unknown }): RunStatus {
  const status = record(run.status);
  const group = typeof run.apiVersion === 'string' ? run.apiVersion.split('/')[0] : '';
  const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as Condition[]) : [];
  const condition = (type: string): Condition | undefined => conditions.find((c) => record(c)['type'] === type);
  const startTime = str(status['startTime']) ?? str(status['startedAt']);
  const endTime = str(status['completionTime']) ?? str(status['completedAt']);
  const times = { ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}) };

  switch (group) {
    case 'pipelines.kubeflow.org': {
      const state = str(status['completionState']);
      const phase: RunPhase = state === 'Succeeded' ? 'succeeded' : state === 'Failed' ? 'failed' : 'running';
      return { phase, artifacts: [], ...times };
    }
    case 'tekton.dev': {
      const succeeded = condition('Succeeded');
      const phase: RunPhase = succeeded?.status === 'True' ? 'succeeded' : succeeded?.status === 'False' ? 'failed' : 'running';
      const results = Array.isArray(status['results']) ? (status['results'] as unknown[]) : [];
      const artifacts = results.flatMap((r) => {
        const name = str(record(r)['name']);
        const value = record(r)['value'];
        return name && typeof value === 'string' ? [{ name, location: value }] : [];
      });
      const message = str(succeeded?.message);
      return { phase, artifacts, ...times, ...(message ? { message } : {}) };
    }
    case 'openchoreo.dev': {
      const phase: RunPhase =
        condition('WorkflowSucceeded')?.status === 'True' ? 'succeeded' : condition('WorkflowFailed')?.status === 'True' ? 'failed' : 'running';
      return { phase, artifacts: [], ...times };
    }
    case 'batch.tensorstack.dev': {
      const p = str(status['phase']);
      const phase: RunPhase = p === 'Succeeded' ? 'succeeded' : p === 'Failed' || p === 'Error' ? 'failed' : 'running';
      const message = str(status['message']);
      return { phase, artifacts: [], ...times, ...(message ? { message } : {}) };
    }
    default:
      return { phase: 'running', artifacts: [] };
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
