/**
 * Renders one run and makes it runbridge's: the run configuration's namespace, a deterministic
 * name (see assign-run-name.ts), the configured labels and annotations, and provenance stamped last
 * so a template can never fake or remove it.
 */
import { RenderError } from '../errors.ts';
import type { TriggerType } from '../events/event.ts';
import type { RunManifest } from '../sinks/sink.ts';
import type { CompiledTemplate } from './compile-template.ts';
import { labelSafe } from './label-safe.ts';
import { MANAGED_BY, PROVENANCE_ANNOTATIONS, PROVENANCE_LABELS } from './provenance-keys.ts';
import { checkAnnotationKeys, checkAnnotationsSize, checkLabels, mergeStringMaps, readStringMap } from './string-map.ts';
import type { TemplateContext } from './template-context.ts';

export interface RunProvenance {
  readonly runConfiguration: { readonly name: string; readonly namespace: string };
  readonly event: { readonly id: string; readonly source: string; readonly type: string; readonly trigger: TriggerType };
  /** The run configuration's configured labels and annotations. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export function renderRun(template: CompiledTemplate, ctx: TemplateContext, provenance: RunProvenance): RunManifest {
  const { runConfiguration: rc, event } = provenance;
  if (ctx.event.id !== event.id || ctx.runConfiguration.name !== rc.name || ctx.runConfiguration.namespace !== rc.namespace) {
    throw new RenderError(`template ${template.name}: the context and the provenance describe different runs`);
  }
  const manifest = template.render(ctx);
  const { name, namespace: _namespace, labels: templateLabels, annotations: templateAnnotations, ...rest } = manifest.metadata;
  try {
    // Template and configured entries are checked; provenance entries are valid by construction.
    const ownLabels = [...readStringMap(templateLabels, 'metadata.labels'), ...Object.entries(provenance.labels)];
    const ownAnnotations = [...readStringMap(templateAnnotations, 'metadata.annotations'), ...Object.entries(provenance.annotations)];
    checkLabels(ownLabels);
    checkAnnotationKeys(ownAnnotations);
    const labels = mergeStringMaps([
      ownLabels,
      [
        [PROVENANCE_LABELS.runConfiguration, labelSafe(rc.name)],
        [PROVENANCE_LABELS.trigger, event.trigger],
        [PROVENANCE_LABELS.eventId, labelSafe(event.id)],
        [PROVENANCE_LABELS.source, labelSafe(event.source)],
        [PROVENANCE_LABELS.managedBy, MANAGED_BY],
      ],
    ]);
    const annotations = mergeStringMaps([
      ownAnnotations,
      [
        [PROVENANCE_ANNOTATIONS.eventId, event.id],
        [PROVENANCE_ANNOTATIONS.runConfiguration, `${rc.namespace}/${rc.name}`],
        [PROVENANCE_ANNOTATIONS.eventType, event.type],
        [PROVENANCE_ANNOTATIONS.source, event.source],
      ],
    ]);
    checkAnnotationsSize(annotations);
    return { ...manifest, metadata: { name, namespace: rc.namespace, ...rest, labels, annotations } };
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    throw new RenderError(`template ${template.name}: ${error.message}`, { cause: error, details: { template: template.name } });
  }
}
