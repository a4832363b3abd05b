/** Reports every cycle of a dependency graph once (`a → b → a`), at the path of its first member. */
import { findCycles } from '../triggers/dependency-graph.ts';
import type { Report } from './report.ts';

export function reportCycles(
  edges: ReadonlyMap<string, readonly string[]>,
  pathOf: (key: string) => string,
  message: (cycle: string, self: boolean) => string,
  report: Report,
): void {
  for (const cycle of findCycles(edges)) {
    const [first] = cycle;
    if (first !== undefined) report.error(pathOf(first), message(cycle.join(' → '), cycle.length === 2));
  }
}
