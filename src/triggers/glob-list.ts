/**
 * A list of globs with `!` negation, compiled once. A value matches the list when at least one
 * positive pattern matches it (or the list has only negations) and no negation matches it:
 * `[pipelines/**, !pipelines/docs/**]` matches `pipelines/a.py` but not `pipelines/docs/x.md`;
 * `[!main]` matches every branch except `main`. Order does not matter.
 *
 * Globs are picomatch's (glob-to-re2.ts): `*` stops at `/`, `**` crosses it, dotfiles are matched,
 * `{a,b}` and `[a-z]` work; unbalanced brackets are configuration errors. Each compiles to RE2, so
 * matching a ref or path is linear in its length whatever the configured glob.
 */
import type { ConfigIssue } from '../errors.ts';
import { compileRe2, Re2SyntaxError, type Re2Pattern } from '../regex/compile-re2.ts';
import { GlobSyntaxError, globToRe2 } from './glob-to-re2.ts';

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
  const positive: Re2Pattern[] = [];
  const negative: Re2Pattern[] = [];
  const issues: ConfigIssue[] = [];
  patterns.forEach((pattern, index) => {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (glob === '') {
      issues.push({ path: `${path}[${index}]`, message: `"${pattern}" has no pattern${negated ? ' after "!"' : ''}` });
      return;
    }
    try {
      (negated ? negative : positive).push(compileRe2(globToRe2(glob, options)));
    } catch (error) {
      if (!(error instanceof GlobSyntaxError || error instanceof Re2SyntaxError)) throw error;
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
      for (const pattern of negative) if (pattern.test(value)) return false;
      if (onlyNegations) return true;
      for (const pattern of positive) if (pattern.test(value)) return true;
      return false;
    },
  };
  return { list, issues };
}
