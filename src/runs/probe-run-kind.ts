/**
 * Which kind of run a run configuration creates: its template rendered once with a probe context
 * (its static parameters and defaults, `1` for the rest). The template decides apiVersion and kind;
 * one whose kind depends on event data is judged by the probe's values, and one that cannot be
 * rendered without a real event throws the render's error.
 */
import type { RunConfiguration } from '../config/schema.ts';
import type { CompiledTemplate } from '../render/template-registry.ts';
import type { TemplateContext } from '../render/template-context.ts';

const PROBE_NAME = 'runbridge-probe';

export function probeRunKind(spec: RunConfiguration, template: CompiledTemplate, now: Date): { apiVersion: string; kind: string } {
  const { apiVersion, kind } = template.render(probeContext(spec, template, now), PROBE_NAME);
  return { apiVersion, kind };
}

function probeContext(spec: RunConfiguration, template: CompiledTemplate, now: Date): TemplateContext {
  const values = new Map<string, string>();
  for (const name of template.usedParams) values.set(name, '1');
  for (const p of spec.parameters) values.set(p.name, 'value' in p ? p.value : (p.default ?? '1'));
  const parameters = spec.parameters.map((p) => ({ name: p.name, value: values.get(p.name) ?? '1' }));
  const time = now.toISOString();
  return {
    runConfiguration: { name: spec.name, namespace: spec.namespace },
    params: Object.fromEntries(values),
    parameters,
    labels: spec.labels,
    annotations: spec.annotations,
    artifacts: spec.artifacts,
    event: { id: PROBE_NAME, source: 'kubernetes', type: 'runbridge.probe', time, trigger: 'manual' },
    name: PROBE_NAME,
    now: time,
  };
}
