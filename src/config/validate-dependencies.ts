/**
 * Chaining between run configurations: every upstream named in `triggers.runConfigurations` and
 * every `valueFrom.runConfigurationRef` exists (bare names are in the downstream's namespace), a
 * referenced output artifact is one the upstream declares, and neither graph has a cycle — a
 * trigger cycle would start runs forever, a cycle of required artifact references means none of
 * its members can ever resolve its parameters.
 */
import { qualifyRunConfigurationName, runConfigurationKey, type RunConfiguration } from './schema.ts';
import { closestKey } from './known-keys.ts';
import { reportCycles } from './report-cycles.ts';
import type { ArtifactRef } from './loaded-config.ts';
import type { Report } from './report.ts';

export interface Dependencies {
  /** Per run configuration (same index): qualified upstream keys and artifact references. */
  readonly upstreams: string[][];
  readonly artifactRefs: ArtifactRef[][];
}

export function validateDependencies(runConfigurations: readonly RunConfiguration[], report: Report): Dependencies {
  const byKey = new Map<string, { index: number; rc: RunConfiguration }>();
  runConfigurations.forEach((rc, index) => {
    if (!byKey.has(runConfigurationKey(rc))) byKey.set(runConfigurationKey(rc), { index, rc });
  });
  const unknown = (key: string): string => {
    const suggestion = closestKey(key, [...byKey.keys()]);
    return `no run configuration ${key} in this configuration${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
  };
  const upstreams = runConfigurations.map((rc, index) => {
    const path = `runConfigurations[${index}].triggers`;
    const keys = rc.triggers.runConfigurations.map((ref) => qualifyRunConfigurationName(ref, rc.namespace));
    keys.forEach((key, j) => {
      if (!byKey.has(key)) report.error(`${path}.runConfigurations[${j}]`, unknown(key));
      else if (keys.indexOf(key) !== j) report.warning(`${path}.runConfigurations[${j}]`, `${key} is listed twice`);
    });
    if (rc.triggers.upstream.mode === 'all' && new Set(keys).size < 2) {
      report.warning(`${path}.upstream.mode`, `"all" waits for every upstream, but there ${keys.length ? 'is only one: it behaves like "any"' : 'are none'}`);
    }
    return [...new Set(keys)].filter((key) => byKey.has(key));
  });
  const artifactRefs = runConfigurations.map((rc, index) =>
    rc.parameters.flatMap((parameter, p) => {
      if (!('valueFrom' in parameter) || !('runConfigurationRef' in parameter.valueFrom)) return [];
      const ref = parameter.valueFrom.runConfigurationRef;
      const path = `runConfigurations[${index}].parameters[${p}].valueFrom.runConfigurationRef`;
      const name = qualifyRunConfigurationName(ref.name, rc.namespace);
      const upstream = byKey.get(name)?.rc;
      if (!upstream) {
        report.error(`${path}.name`, unknown(name));
        return [];
      }
      const declared = upstream.artifacts.map((a) => a.name);
      if (declared.length === 0) {
        report.warning(`${path}.outputArtifact`, `${name} declares no artifacts; this resolves only if its completions carry an artifact named ${JSON.stringify(ref.outputArtifact)}`);
      } else if (!declared.includes(ref.outputArtifact)) {
        report.error(`${path}.outputArtifact`, `${name} declares no artifact ${JSON.stringify(ref.outputArtifact)} (it declares: ${declared.join(', ')})`);
      }
      return [{ name, outputArtifact: ref.outputArtifact, optional: ref.optional }];
    }),
  );
  // A duplicated key (reported by validateNames) takes part in the graphs as its first occurrence.
  const graph = (targets: (index: number) => string[]): Map<string, string[]> =>
    new Map([...byKey].map(([key, { index }]) => [key, targets(index)]));
  const indexOf = (key: string): number => byKey.get(key)?.index ?? -1;
  reportCycles(
    graph((index) => upstreams[index] ?? []),
    (key) => `runConfigurations[${indexOf(key)}].triggers.runConfigurations`,
    (cycle, self) => `dependency cycle ${cycle}: ${self ? 'it triggers itself, so each completion would start another run' : 'each completion would start the next run'} forever`,
    report,
  );
  reportCycles(
    graph((index) => (artifactRefs[index] ?? []).filter((r) => !r.optional).map((r) => r.name)),
    (key) => `runConfigurations[${indexOf(key)}].parameters`,
    (cycle, self) =>
      `artifact dependency cycle ${cycle}: ${self ? 'it needs an artifact of its own earlier succeeded run, so it can never run a first time' : 'each needs a succeeded run of the next before it can resolve its parameters, so none can ever run'} (make ${self ? 'the' : 'one'} runConfigurationRef optional: true)`,
    report,
  );
  return { upstreams, artifactRefs };
}
