/**
 * The graph of upstream triggers between run configurations, keyed `namespace/name`. Edges point
 * from a downstream to its upstreams. Config validation rejects cycles (a run configuration that
 * eventually triggers itself would run forever), printing each one as `a → b → c → a`.
 */
import { qualifyRunConfigurationName, runConfigurationKey } from '../config/schema.ts';

export interface DependencyNode {
  readonly name: string;
  readonly namespace: string;
  readonly triggers: { readonly runConfigurations: readonly string[] };
}

/** Qualified keys of the run configurations whose completion triggers `rc`. */
export function upstreamsOf(rc: DependencyNode): string[] {
  return rc.triggers.runConfigurations.map((ref) => qualifyRunConfigurationName(ref, rc.namespace));
}

/** The run configurations triggered by the completion of `upstreamKey`. */
export function downstreamsOf<T extends DependencyNode>(rcs: readonly T[], upstreamKey: string): T[] {
  return rcs.filter((rc) => upstreamsOf(rc).includes(upstreamKey));
}

/** downstream key → upstream keys, for every run configuration. */
export function dependencyEdges(rcs: readonly DependencyNode[]): Map<string, string[]> {
  return new Map(rcs.map((rc) => [runConfigurationKey(rc), upstreamsOf(rc)]));
}

/**
 * Cycles as paths that end where they start (`[a, b, c, a]`), each rotated to begin at its smallest
 * key, in a deterministic order. Every strongly connected component with a cycle yields at least
 * one; elementary cycles that share a component may be reported once for all.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const found = new Map<string, string[]>();
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    path.push(node);
    for (const next of edges.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === undefined) visit(next);
      else if (seen === 'visiting') record(path.slice(path.lastIndexOf(next)));
    }
    path.pop();
    state.set(node, 'done');
  };
  const record = (cycle: string[]): void => {
    const start = cycle.indexOf(cycle.reduce((min, key) => (key < min ? key : min)));
    const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
    const key = rotated.join('\u0000');
    if (!found.has(key)) found.set(key, [...rotated, rotated[0]!]);
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return [...found.values()];
}
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}
