/**
 * A run configuration's `manual` section: every parameter a caller may override is one the run
 * configuration declares, listed once; a list without `enabled: true`, or manual runs without the
 * API (`api.token`), does nothing and is warned about.
 */
import type { Report } from './report.ts';
import type { RunConfiguration } from './schema.ts';

export function validateManual(rc: RunConfiguration, path: string, apiEnabled: boolean, report: Report): void {
  const at = `${path}.manual`;
  const declared = new Set(rc.parameters.map((p) => p.name));
  const seen = new Set<string>();
  rc.manual.parameters.forEach((name, index) => {
    if (seen.has(name)) report.error(`${at}.parameters[${index}]`, `${name} is listed twice`);
    else if (!declared.has(name)) {
      const names = [...declared].join(', ');
      report.error(`${at}.parameters[${index}]`, `${name} is not a parameter of this run configuration${names ? ` (declared: ${names})` : ' (it declares none)'}`);
    }
    seen.add(name);
  });
  if (!rc.manual.enabled && rc.manual.parameters.length > 0) {
    report.warning(`${at}.enabled`, 'parameters are listed but manual runs are not enabled (enabled: true)');
  }
  if (rc.manual.enabled && !apiEnabled) report.warning(`${at}.enabled`, 'manual runs are enabled but the run-now API is off (api.token is not set)');
}
