/**
 * Everything runbridge knows about one kind of run, in one place: what it is created as, which
 * shipped templates render it, how its engine writes its status, how a run is stopped for
 * `concurrencyPolicy: Replace`, the labels its engine requires together, and the API resource the
 * chart's RBAC grants. One module per kind in this folder; run-kinds.ts lists them, and
 * test/runs/run-kinds.test.ts checks that the templates, the CRDs under test/crds and the chart agree.
 */
import type { RunStatus } from '../run-status.ts';

export interface RunKind {
  /** API group, version and kind the runs are created as: together, never the kind alone. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The kind's API resource (plural), as RBAC rules name it. */
  readonly resource: string;
  /** The shipped templates (`templates/<name>.yaml.hbs`) that render this kind. */
  readonly templates: readonly string[];
  /** Reads a run object the way its engine writes its status. */
  readStatus(run: RunObject): RunStatus;
  /** How a run still running is stopped for concurrencyPolicy Replace. */
  readonly cancel: CancelBy;
  /** Label keys the kind's engine requires both or neither of, on the run configuration. */
  readonly labelPairs: readonly (readonly [string, string])[];
  /** What a completion of this kind says about the pipeline it ran (KFP-Operator's provider and pipeline). */
  completionFields?(spec: Readonly<Record<string, unknown>>): { readonly provider?: string; readonly pipelineName?: string };
}

/**
 * A merge patch the engine acts on (the run winds down and stays for inspection), or deleting the
 * object for a kind that has no cancel field.
 */
export type CancelBy = { readonly by: 'patch'; readonly patch: Readonly<Record<string, unknown>> } | { readonly by: 'delete' };

export interface RunObject {
  readonly spec?: unknown;
  readonly status?: unknown;
}
