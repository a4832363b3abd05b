/**
 * Which option of a failed union the user meant. zod reports every option's issues; showing all of
 * them buries the one that matters. The option whose *keys* fit the input best wins: count the
 * unknown keys and the missing required fields at the option's top level (deeper problems are what
 * we want to report, so they do not count). A tie means the input's shape fits no option clearly;
 * the caller then prints one summary of the accepted forms.
 */
import type { z } from 'zod';
import type { PathSegment } from './field-path.ts';

type Issue = z.core.$ZodIssue;

export function chooseUnionBranch(branches: readonly (readonly Issue[])[], value: unknown): readonly Issue[] | undefined {
  const scored = branches.map((issues) => ({ issues, score: shapeMismatch(issues, value) }));
  const best = Math.min(...scored.map((s) => s.score));
  const winners = scored.filter((s) => s.score === best);
  return best !== Infinity && winners.length === 1 ? winners[0]?.issues : undefined;
}

function shapeMismatch(issues: readonly Issue[], value: unknown): number {
  let score = 0;
  for (const issue of issues) {
    if (issue.path.length === 0) {
      if (issue.code === 'unrecognized_keys') score += issue.keys.length;
      else if (issue.code === 'invalid_type') return Infinity; // not even the right kind of value
    } else if (issue.path.length === 1 && valueAt(value, issue.path) === undefined) {
      score += 1; // a required field of this option is missing
    }
  }
  return score;
}

/** The input value at a path (undefined when absent). */
export function valueAt(value: unknown, path: readonly PropertyKey[] | readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || typeof segment === 'symbol') return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
