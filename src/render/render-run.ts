/**
 * Renders one run and makes it runbridge's: the run configuration's namespace, a deterministic
 * name (see assign-run-name.ts), the configured labels and annotations, and provenance stamped last
 * so a template can never fake or remove it.
 */
import { RenderError } from '../errors.ts';
import type { TriggerType } from '../events/event.ts';
import type { RunManifest } from '../runs/run-manifest.ts';
import type { CompiledTemplate } from './compile-template.ts';
import { labelSafe } from './label-safe.ts';
import { MANAGED_BY, PROVENANCE_ANNOTATIONS, PROVENANCE_LABELS } from './provenance-keys.ts';
import { addStringMap, checkAnnotationsSize } from './string-map.ts';
import type { TemplateContext } from './template-context.ts';

export interface RunProvenance {
  readonly runConfiguration: { readonly name: string; readonly namespace: string };
  readonly event: { readonly id: string; readonly source: string; readonly type: string; readonly trigger: TriggerType };
  /** The run configuration's configured labels and annotations. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** runIdentity(run configuration, event id), computed once per run by the dispatcher. */
  readonly identity: string;
}

export function renderRun(template: CompiledTemplate, ctx: TemplateContext, provenance: RunProvenance): RunManifest {
  const { runConfiguration: rc, event } = provenance;
  if (ctx.event.id !== event.id || ctx.runConfiguration.name !== rc.name || ctx.runConfiguration.namespace !== rc.namespace) {
    throw new RenderError(`template ${template.name}: the context and the provenance describe different runs`);
  }
  const manifest = template.render(ctx, provenance.identity);
  const { name, namespace: _namespace, labels: templateLabels, annotations: templateAnnotations, ...rest } = manifest.metadata;
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  try {
    addStringMap(labels, 'label', templateLabels, 'metadata.labels');
    addStringMap(labels, 'label', provenance.labels);
    addStringMap(annotations, 'annotation', templateAnnotations, 'metadata.annotations');
    addStringMap(annotations, 'annotation', provenance.annotations);
    stampProvenance(labels, annotations, provenance);
    checkAnnotationsSize(annotations);
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    throw new RenderError(`template ${template.name}: ${error.message}`, { cause: error, details: { template: template.name } });
  }
  return { ...manifest, metadata: { name, namespace: rc.namespace, ...rest, labels, annotations } };
}

/** Provenance last, so it wins: constant keys, values valid by construction. */
function stampProvenance(labels: Record<string, string>, annotations: Record<string, string>, provenance: RunProvenance): void {
  const { runConfiguration: rc, event } = provenance;
  labels[PROVENANCE_LABELS.runConfiguration] = labelSafe(rc.name);
  labels[PROVENANCE_LABELS.trigger] = event.trigger;
  labels[PROVENANCE_LABELS.eventId] = labelSafe(event.id);
  labels[PROVENANCE_LABELS.source] = labelSafe(event.source);
  labels[PROVENANCE_LABELS.managedBy] = MANAGED_BY;
  annotations[PROVENANCE_ANNOTATIONS.eventId] = event.id;
  annotations[PROVENANCE_ANNOTATIONS.runConfiguration] = `${rc.namespace}/${rc.name}`;
  annotations[PROVENANCE_ANNOTATIONS.eventType] = event.type;
  annotations[PROVENANCE_ANNOTATIONS.source] = event.source;
}
