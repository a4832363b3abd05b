/**
 * What a template sees. Built by the dispatcher from the run configuration, the event and the
 * resolved parameters. Documented in docs/templates.md; keep the two in step.
 */
import type { GitFacts, ScheduleFacts, TriggerType } from '../events/event.ts';

export interface TemplateContext {
  readonly runConfiguration: { readonly name: string; readonly namespace: string };
  /** Resolved parameters by name (static values, event fields, upstream artifacts). */
  readonly params: Readonly<Record<string, string>>;
  /** The same, in declaration order, for `{{#each parameters}}`. */
  readonly parameters: readonly { readonly name: string; readonly value: string }[];
  /** The run configuration's configured labels and annotations (provenance is stamped after rendering). */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The run configuration's declared artifacts (KFP-Operator artifact paths), for `spec.artifacts`. */
  readonly artifacts?: readonly { readonly name: string; readonly path: string }[];
  readonly event: {
    readonly id: string;
    readonly source: string;
    readonly type: string;
    readonly time: string;
    readonly trigger: TriggerType;
  };
  readonly git?: GitFacts;
  readonly schedule?: ScheduleFacts;
  readonly upstream?: {
    readonly runConfiguration?: string;
    readonly runName?: string;
    readonly runId?: string;
    readonly status: 'succeeded' | 'failed';
    readonly artifacts: Readonly<Record<string, string>>;
  };
  /** Deterministic run name for this (run configuration, event): DNS-1123, ≤ 63 characters. */
  readonly name: string;
  /** Render time, RFC 3339 (from the injected clock). */
  readonly now: string;
}
