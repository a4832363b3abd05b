/**
 * Which runs the status watch watches: the kinds (group/version/kind) the configured run
 * configurations create (probeRunKind), in their namespaces: the run always lands in the run
 * configuration's namespace. A template that cannot be rendered without a real event is reported,
 * and its runs are not watched.
 */
import type { CompiledRunConfiguration } from '../../../config/loaded-config.ts';
import { probeRunKind } from '../../../runs/probe-run-kind.ts';

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

export function watchTargetsOf(runConfigurations: readonly ProbedRunConfiguration[], now: Date = new Date()): WatchTargets {
  const targets = new Map<string, WatchTarget>();
  const problems: { runConfiguration: string; message: string }[] = [];
  for (const rc of runConfigurations) {
    try {
      const { apiVersion, kind } = probeRunKind(rc.spec, rc.template, now);
      const target = { apiVersion, kind, namespace: rc.spec.namespace };
      targets.set(`${apiVersion} ${kind} ${rc.spec.namespace}`, target);
    } catch (error) {
      problems.push({ runConfiguration: rc.key, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { targets: [...targets.values()], problems };
}
