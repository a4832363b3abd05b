/**
 * Each `valueFrom.runConfigurationRef` parameter of a run configuration, resolved against the
 * upstream runs at hand (normally each upstream's latest succeeded run), with the reason when it
 * does not resolve. Used to start runs (the artifact resolver) and to show them (/status).
 */
import { qualifyRunConfigurationName, type RunConfiguration } from '../config/schema.ts';
import { describeRun, type UpstreamRun } from './upstream-run.ts';

export interface Dependency {
  readonly parameter: string;
  /** `namespace/name` of the upstream. */
  readonly upstream: string;
  readonly outputArtifact: string;
  readonly optional: boolean;
  readonly hasDefault: boolean;
  /** The artifact's location, when it resolves. */
  readonly location?: string;
  /** The upstream run it resolves from (or was looked for in). */
  readonly run?: string;
  /** Why it does not resolve. */
  readonly reason?: string;
}

export function explainDependencies(
  rc: Pick<RunConfiguration, 'namespace' | 'parameters'>,
  runOf: (upstream: string) => UpstreamRun | undefined,
): Dependency[] {
  return rc.parameters.flatMap((parameter): Dependency[] => {
    if (!('valueFrom' in parameter) || !('runConfigurationRef' in parameter.valueFrom)) return [];
    const ref = parameter.valueFrom.runConfigurationRef;
    const upstream = qualifyRunConfigurationName(ref.name, rc.namespace);
    const base = { parameter: parameter.name, upstream, outputArtifact: ref.outputArtifact, optional: ref.optional, hasDefault: parameter.default !== undefined };
    const run = runOf(upstream);
    if (run === undefined) return [{ ...base, reason: `${upstream} has no succeeded run yet` }];
    const found = run.artifacts.find((a) => a.name === ref.outputArtifact);
    if (found) return [{ ...base, location: found.location, run: describeRun(run) }];
    const miss = run.misses.find((m) => m.name === ref.outputArtifact);
    const has = run.artifacts.length ? `it has: ${run.artifacts.map((a) => a.name).join(', ')}` : 'it has none';
    const why = miss ? `: ${miss.path}: ${miss.reason}` : ` (${has})`;
    return [{ ...base, run: describeRun(run), reason: `the latest succeeded run ${describeRun(run)} of ${upstream} has no artifact ${JSON.stringify(ref.outputArtifact)}${why}` }];
  });
}

/** A dependency that stops the run: unresolved, not optional, no default. */
export function isBlocking(dependency: Dependency): boolean {
  return dependency.location === undefined && !dependency.optional && !dependency.hasDefault;
}
