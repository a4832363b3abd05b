/** The loaded run configurations by key (`namespace/name`) and by bare name, for correlation and lookups. */
import type { CompiledRunConfiguration, LoadedConfig } from '../config/loaded-config.ts';

export interface RunConfigurationIndex {
  readonly all: readonly CompiledRunConfiguration[];
  readonly byKey: ReadonlyMap<string, CompiledRunConfiguration>;
  readonly byName: ReadonlyMap<string, readonly CompiledRunConfiguration[]>;
}

export function indexRunConfigurations(loaded: Pick<LoadedConfig, 'runConfigurations'>): RunConfigurationIndex {
  const byKey = new Map<string, CompiledRunConfiguration>();
  const byName = new Map<string, CompiledRunConfiguration[]>();
  for (const rc of loaded.runConfigurations) {
    if (byKey.has(rc.key)) continue;
    byKey.set(rc.key, rc);
    byName.set(rc.spec.name, [...(byName.get(rc.spec.name) ?? []), rc]);
  }
  return { all: [...byKey.values()], byKey, byName };
}
