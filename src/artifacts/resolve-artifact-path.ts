import type { Artifact, ComponentArtifact, ComponentOutput } from '../events/event.ts';
import { ArtifactPathError } from './artifact-path-error.ts';
import { type ArtifactPath, parseArtifactPath } from './artifact-path.ts';

/**
 * How INDEX and FILTER combine. KFP-Operator picks the INDEX-th artifact of the output (its metadata
 * store names artifacts `<component>:<output>:<index>`) and then keeps it only if the FILTER holds
 * (provider-service/kfp metadata store, GetArtifacts) — `index-then-filter`, the default.
 * `filter-then-index` takes the INDEX-th of the artifacts the FILTER keeps.
 */
export type ArtifactSelectionOrder = 'index-then-filter' | 'filter-then-index';

export interface ResolveArtifactOptions {
  readonly order?: ArtifactSelectionOrder;
}

export type ArtifactResolution =
  | { readonly found: true; readonly artifact: ComponentArtifact }
  | { readonly found: false; readonly reason: string };

export interface ArtifactMiss {
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

export function resolveArtifactPath(
  path: ArtifactPath,
  outputs: readonly ComponentOutput[],
  options: ResolveArtifactOptions = {},
): ComponentArtifact | undefined {
  const resolution = explainArtifactPath(path, outputs, options);
  return resolution.found ? resolution.artifact : undefined;
}

/** Like resolveArtifactPath, with the reason when nothing is found. */
export function explainArtifactPath(
  path: ArtifactPath,
  outputs: readonly ComponentOutput[],
  options: ResolveArtifactOptions = {},
): ArtifactResolution {
  const ofComponent = outputs.filter((output) => output.componentName === path.component);
  if (ofComponent.length === 0) {
    return miss(`no component ${path.component}${listed('components', outputs.map((o) => o.componentName))}`);
  }
  const output = ofComponent.find((candidate) => candidate.outputName === path.output);
  if (output === undefined) {
    return miss(`component ${path.component} has no output ${path.output}${listed('outputs', ofComponent.map((o) => o.outputName))}`);
  }
  const where = `${path.component}:${path.output}`;
  const picked =
    (options.order ?? 'index-then-filter') === 'index-then-filter'
      ? indexThenFilter(path, output.artifacts, where)
      : filterThenIndex(path, output.artifacts, where);
  if (!picked.found || picked.artifact.location !== '') return picked;
  return miss(`artifact ${path.index} of ${where} has no location`);
}

function indexThenFilter(path: ArtifactPath, artifacts: readonly ComponentArtifact[], where: string): ArtifactResolution {
  const artifact = artifacts[path.index];
  if (artifact === undefined) {
    return miss(`index ${path.index} out of range (${where} has ${count(artifacts.length, 'artifact')})`);
  }
  if (path.filter === undefined) return { found: true, artifact };
  const outcome = path.filter.explain(artifact.metadata ?? {});
  if (outcome.matched) return { found: true, artifact };
  const why = outcome.error === undefined ? 'is false' : `could not be evaluated: ${outcome.error}`;
  return miss(`artifact ${path.index} of ${where} does not match the filter: [${path.filter.source}] ${why}`);
}

function filterThenIndex(path: ArtifactPath, artifacts: readonly ComponentArtifact[], where: string): ArtifactResolution {
  const filter = path.filter;
  const outcomes = artifacts.map((artifact) => filter?.explain(artifact.metadata ?? {}) ?? { matched: true });
  const kept = artifacts.filter((_, i) => outcomes[i]?.matched === true);
  const artifact = kept[path.index];
  if (artifact !== undefined) return { found: true, artifact };
  if (filter !== undefined && kept.length === 0) {
    const errors = outcomes.flatMap((outcome) => (outcome.error === undefined ? [] : [outcome.error]));
    const unevaluated = errors.length === 0 ? '' : `; ${errors.length} could not be evaluated (${errors[0]})`;
    return miss(`filter [${filter.source}] matched 0 of ${count(artifacts.length, 'artifact')} of ${where}${unevaluated}`);
  }
  const matched = filter === undefined ? `${where} has ${count(artifacts.length, 'artifact')}` : `${kept.length} matched`;
  return miss(`index ${path.index} out of range (${matched})`);
}

/**
 * Resolves every artifact definition of a run configuration against a completed run's component
 * outputs. Never throws and never drops one silently: a definition that resolves to nothing (or
 * whose path does not parse) is a miss with its reason.
 */
export function resolveRunArtifacts(
  definitions: readonly { readonly name: string; readonly path: string }[],
  outputs: readonly ComponentOutput[],
  options: ResolveArtifactOptions = {},
): { artifacts: Artifact[]; misses: ArtifactMiss[] } {
  const artifacts: Artifact[] = [];
  const misses: ArtifactMiss[] = [];
  for (const { name, path } of definitions) {
    let parsed: ArtifactPath;
    try {
      parsed = parseArtifactPath(path);
    } catch (error) {
      if (!(error instanceof ArtifactPathError)) throw error;
      misses.push({ name, path, reason: `invalid artifact path: ${error.problem}` });
      continue;
    }
    const resolution = explainArtifactPath(parsed, outputs, options);
    if (resolution.found) artifacts.push({ name, location: resolution.artifact.location });
    else misses.push({ name, path, reason: resolution.reason });
  }
  return { artifacts, misses };
}

function miss(reason: string): ArtifactResolution {
  return { found: false, reason };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function listed(what: string, names: readonly string[]): string {
  const unique = [...new Set(names)];
  return unique.length === 0 ? ` (the run reported no ${what})` : ` (${what}: ${unique.join(', ')})`;
}
