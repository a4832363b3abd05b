/**
 * A list of globs with `!` negation, compiled once. A value matches the list when at least one
 * positive pattern matches it (or the list has only negations) and no negation matches it:
 * `[pipelines/**, !pipelines/docs/**]` matches `pipelines/a.py` but not `pipelines/docs/x.md`;
 * `[!main]` matches every branch except `main`. Order does not matter.
 *
 * Globs are picomatch's: `*` stops at `/`, `**` crosses it, dotfiles are matched, `{a,b}` and
 * `[a-z]` work; unbalanced brackets are configuration errors.
 */
import picomatch from 'picomatch/posix.js';
import type { ConfigIssue } from '../errors.ts';

export interface GlobList {
  readonly patterns: readonly string[];
  /** `[main, release/*]`, for reasons. */
  readonly label: string;
  matches(value: string): boolean;
}

export function formatList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

export function compileGlobList(
  patterns: readonly string[],
  path: string,
  options: { nocase?: boolean } = {},
): { list: GlobList; issues: ConfigIssue[] } {
  const positive: RegExp[] = [];
  const negative: RegExp[] = [];
  const issues: ConfigIssue[] = [];
  const globOptions = { dot: true, strictBrackets: true, nonegate: true, nocase: options.nocase === true };
  patterns.forEach((pattern, index) => {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (glob === '') {
      issues.push({ path: `${path}[${index}]`, message: `"${pattern}" has no pattern${negated ? ' after "!"' : ''}` });
      return;
    }
    try {
      (negated ? negative : positive).push(picomatch.makeRe(glob, globOptions));
    } catch (error) {
      issues.push({ path: `${path}[${index}]`, message: `invalid glob "${pattern}": ${(error as Error).message}` });
    }
  });
  if (patterns.length === 0) {
    issues.push({ path, message: 'empty list: omit the field to match anything, or list at least one pattern' });
  }
  const onlyNegations = patterns.every((pattern) => pattern.startsWith('!'));
  const list: GlobList = {
    patterns,
    label: formatList(patterns),
    matches(value) {
      for (const regex of negative) if (regex.test(value)) return false;
      if (onlyNegations) return true;
      for (const regex of positive) if (regex.test(value)) return true;
      return false;
    },
  };
  return { list, issues };
}
