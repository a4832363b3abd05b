/**
 * The loaded run configurations by key (`namespace/name`) and by bare name, for correlation and
 * lookups, and the downstreams of each upstream (`triggers.runConfigurations`), so that what a
 * completion concerns is found without going through every run configuration.
 */
import type { CompiledRunConfiguration, LoadedConfig } from '../config/loaded-config.ts';

export interface RunConfigurationIndex {
  readonly all: readonly CompiledRunConfiguration[];
  readonly byKey: ReadonlyMap<string, CompiledRunConfiguration>;
  readonly byName: ReadonlyMap<string, readonly CompiledRunConfiguration[]>;
  /** The namespaces of the run configurations, where runbridge creates their runs. */
  readonly namespaces: readonly string[];
  /** Upstream key → the run configurations it triggers, in configuration order. */
  readonly downstreams: ReadonlyMap<string, readonly CompiledRunConfiguration[]>;
}

export function indexRunConfigurations(loaded: Pick<LoadedConfig, 'runConfigurations'>): RunConfigurationIndex {
  const byKey = new Map<string, CompiledRunConfiguration>();
  const byName = new Map<string, CompiledRunConfiguration[]>();
  const downstreams = new Map<string, CompiledRunConfiguration[]>();
  for (const rc of loaded.runConfigurations) {
    if (byKey.has(rc.key)) continue;
    byKey.set(rc.key, rc);
    append(byName, rc.spec.name, rc);
    for (const upstream of new Set(rc.upstreams)) append(downstreams, upstream, rc);
  }
  const all = [...byKey.values()];
  return { all, byKey, byName, namespaces: [...new Set(all.map((rc) => rc.spec.namespace))], downstreams };
}

/** The run configurations a completion of `upstream` may start. */
export function downstreamsOf(index: RunConfigurationIndex, upstream: string): readonly CompiledRunConfiguration[] {
  return index.downstreams.get(upstream) ?? [];
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
