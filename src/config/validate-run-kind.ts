/**
 * What the kind of run a run configuration creates asks of it, found by rendering its template once
 * with a probe context (probeRunKind):
 *
 * - a kind runbridge knows (src/runs/run-kinds.ts) brings its label rules: OpenChoreo's component
 *   and project labels both or neither;
 * - a kind it does not know can be created, but runbridge cannot read its status or stop a run of
 *   it: that is an error where runbridge would have to — with `completions.kubernetesWatch`, and
 *   for a schedule with concurrencyPolicy Forbid or Replace — rather than a run "running" forever.
 *
 * A template that cannot be rendered without a real event is left to each event's render (the
 * status watch reports it when it starts).
 */
import { formatGroupVersionKind, parseGroupVersionKind } from '../kubernetes/group-version-kind.ts';
import type { CompiledTemplate } from '../render/template-registry.ts';
import { probeRunKind } from '../runs/probe-run-kind.ts';
import { describeRunKinds, findRunKind } from '../runs/run-kinds.ts';
import { fieldPath } from './field-path.ts';
import type { Report } from './report.ts';
import type { RunConfiguration } from './schema.ts';

export function validateRunKind(
  rc: RunConfiguration,
  template: CompiledTemplate,
  path: string,
  options: { readonly watched: boolean; readonly now: Date },
  report: Report,
): void {
  let probed: { apiVersion: string; kind: string };
  try {
    probed = probeRunKind(rc, template, options.now);
  } catch {
    return;
  }
  const gvk = formatGroupVersionKind(parseGroupVersionKind(probed.apiVersion, probed.kind));
  const kind = findRunKind(probed.apiVersion, probed.kind);
  if (kind) {
    for (const pair of kind.labelPairs) {
      const present = pair.filter((key) => Object.hasOwn(rc.labels, key));
      if (present.length !== 1) continue;
      const missing = pair.find((key) => !present.includes(key));
      report.error(fieldPath(path, 'labels'), `${gvk} needs the labels ${pair.join(' and ')} both or neither: ${present[0]} is set, ${missing} is not`);
    }
    return;
  }
  const unknown = `template ${template.name} renders ${gvk}, a kind whose status runbridge cannot read and whose runs it cannot stop (it knows ${describeRunKinds()})`;
  if (options.watched) report.error(`${path}.template`, `${unknown}: completions.kubernetesWatch cannot tell when its runs finish`);
  rc.triggers.schedules.forEach((schedule, s) => {
    if (schedule.concurrencyPolicy === 'Allow') return;
    report.error(`${path}.triggers.schedules[${s}].concurrencyPolicy`, `${unknown}: ${schedule.concurrencyPolicy} cannot tell whether the previous run is still running`);
  });
}
