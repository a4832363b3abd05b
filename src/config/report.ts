/**
 * Where validators put what they find. Errors fail the load; warnings are printed by
 * `runbridge validate` and logged at start but change nothing.
 */
import type { ConfigIssue } from '../errors.ts';

export interface Report {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  error(path: string, message: string): void;
  warning(path: string, message: string): void;
}

export function createReport(): Report {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  return {
    errors,
    warnings,
    error: (path, message) => void errors.push({ path, message }),
    warning: (path, message) => void warnings.push({ path, message }),
  };
}
