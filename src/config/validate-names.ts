/**
 * Names that become Kubernetes names: namespace and name are DNS-1123 labels, and a run
 * configuration's `namespace/name` is unique. Parameter and artifact names are unique within their
 * run configuration.
 */
import { runConfigurationKey, type RunConfiguration } from './schema.ts';
import { dns1123LabelProblem } from './kubernetes-name-problems.ts';
import { reportDuplicates } from './report-duplicates.ts';
import type { Report } from './report.ts';

export function validateNames(runConfigurations: readonly RunConfiguration[], report: Report): void {
  runConfigurations.forEach((rc, index) => {
    const path = `runConfigurations[${index}]`;
    for (const field of ['name', 'namespace'] as const) {
      const problem = dns1123LabelProblem(rc[field]);
      if (problem) report.error(`${path}.${field}`, `${problem}, got ${JSON.stringify(rc[field])}`);
    }
    reportDuplicates(rc.parameters.map((p) => p.name), `${path}.parameters`, report);
    reportDuplicates(rc.artifacts.map((a) => a.name), `${path}.artifacts`, report);
  });
  reportDuplicates(runConfigurations.map(runConfigurationKey), 'runConfigurations', report);
}
