/**
 * A run configuration's labels and annotations, which are stamped on every run it creates: keys
 * are Kubernetes qualified names, label values valid label values, and the `runbridge.dev/` prefix is
 * runbridge's own (provenance). Rules of a run kind (OpenChoreo's label pair) are in validate-run-kind.ts.
 */
import type { RunConfiguration } from './schema.ts';
import { fieldPath } from './field-path.ts';
import { labelValueProblem, qualifiedNameProblem } from './kubernetes-name-problems.ts';
import type { Report } from './report.ts';

export const RESERVED_PREFIX = 'runbridge.dev';

export function validateMetadata(rc: RunConfiguration, path: string, report: Report): void {
  for (const kind of ['labels', 'annotations'] as const) {
    for (const [key, value] of Object.entries(rc[kind])) {
      const at = fieldPath(path, kind, key);
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem) report.error(at, `invalid key: ${keyProblem}`);
      else if (isReserved(key)) {
        report.error(at, `the ${RESERVED_PREFIX}/ prefix is reserved for the provenance runbridge stamps on every run`);
      }
      const valueProblem = kind === 'labels' ? labelValueProblem(value) : undefined;
      if (valueProblem) report.error(at, `${valueProblem}, got ${JSON.stringify(value)}`);
    }
  }
}

function isReserved(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return false;
  const prefix = key.slice(0, slash);
  return prefix === RESERVED_PREFIX || prefix.endsWith(`.${RESERVED_PREFIX}`);
}
