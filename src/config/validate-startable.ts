/**
 * A run configuration with no triggers of its own is fine when something else starts it: the API
 * (api.token set and the run configuration's manual.enabled), or chaining — another run configuration names it as an upstream (in
 * `triggers.runConfigurations` or a `valueFrom.runConfigurationRef`), so its runs, started by the
 * engine, report completions runbridge acts on. Only one that nothing can ever start is warned
 * about.
 */
import { runConfigurationKey, type Config } from './schema.ts';
import type { Dependencies } from './validate-dependencies.ts';
import type { Report } from './report.ts';

export function validateStartable(config: Config, dependencies: Dependencies, report: Report): void {
  const api = config.api?.token !== undefined;
  const chained = new Set([...dependencies.upstreams.flat(), ...dependencies.artifactRefs.flat().map((ref) => ref.name)]);
  config.runConfigurations.forEach((rc, index) => {
    const { git, schedules, runConfigurations } = rc.triggers;
    if (git.length + schedules.length + runConfigurations.length > 0 || chained.has(runConfigurationKey(rc))) return;
    if (api && rc.manual.enabled) return;
    report.warning(
      `runConfigurations[${index}].triggers`,
      api
        ? 'no triggers, no run configuration chains from it, and manual runs are not enabled (manual.enabled): nothing can start it'
        : 'no triggers, no run configuration chains from it, and the API is off (api.token is not set): nothing can start it',
    );
  });
}
