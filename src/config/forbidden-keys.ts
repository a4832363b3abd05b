/**
 * `__proto__` as a key anywhere in the file. Validation would drop it silently (a label the user
 * wrote would vanish), and it has no business in a configuration, so it is an error.
 */
import type { ConfigIssue } from '../errors.ts';
import { formatFieldPath, type PathSegment } from './field-path.ts';

export function forbiddenKeys(value: unknown, path: PathSegment[] = []): ConfigIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const issues: ConfigIssue[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at: PathSegment[] = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === '__proto__') issues.push({ path: formatFieldPath(at), message: '"__proto__" is not allowed as a key' });
    issues.push(...forbiddenKeys(child, at));
  }
  return issues;
}
