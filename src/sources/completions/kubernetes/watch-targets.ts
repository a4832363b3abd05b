/**
 * Which runs the status watch watches: the kinds (group/version/kind) the configured run
 * configurations create, in their namespaces. Each run configuration's template is rendered once
 * with a probe context (its static parameters and defaults, `1` for the rest): the template decides
 * apiVersion and kind, and the run always lands in the run configuration's namespace. A template
 * whose kind depends on event data is rendered with the probe's values; one that cannot be rendered
 * without a real event is reported, and its runs are not watched.
 */
import type { CompiledRunConfiguration } from '../../../config/loaded-config.ts';
import type { TemplateContext } from '../../../render/template-context.ts';

export interface WatchTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
}

export interface WatchTargets {
  readonly targets: readonly WatchTarget[];
  /** Run configurations whose kind could not be found, with the reason. */
  readonly problems: readonly { readonly runConfiguration: string; readonly message: string }[];
}

export type ProbedRunConfiguration = Pick<CompiledRunConfiguration, 'key' | 'spec' | 'template'>;

export const PROBE_NAME = 'runbridge-probe';

export function watchTargetsOf(runConfigurations: readonly ProbedRunConfiguration[], now: Date = new Date()): WatchTargets {
  const targets = new Map<string, WatchTarget>();
  const problems: { runConfiguration: string; message: string }[] = [];
  for (const rc of runConfigurations) {
    try {
      const { apiVersion, kind } = rc.template.render(probeContext(rc, now));
      const target = { apiVersion, kind, namespace: rc.spec.namespace };
      targets.set(`${apiVersion} ${kind} ${rc.spec.namespace}`, target);
    } catch (error) {
      problems.push({ runConfiguration: rc.key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { targets: [...targets.values()], problems };
}

function probeContext(rc: ProbedRunConfiguration, now: Date): TemplateContext {
  const { spec } = rc;
  const values = new Map<string, string>();
  for (const name of rc.template.usedParams) values.set(name, '1');
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
