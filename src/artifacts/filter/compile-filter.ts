import type { FilterExpression } from './filter-ast.ts';
import { evaluateFilter, type FilterOutcome } from './evaluate-filter.ts';
import { parseFilter } from './parse-filter.ts';

/**
 * A go-bexpr boolean expression over artifact metadata, parsed once (throws FilterSyntaxError) and
 * evaluated many times. Evaluation never throws: what go-bexpr reports as an evaluation error
 * (KFP-Operator then skips the artifact) is `false`, with the reason in `explain()`.
 */
export interface CompiledFilter {
  readonly source: string;
  readonly expression: FilterExpression;
  evaluate(metadata: Readonly<Record<string, unknown>>): boolean;
  explain(metadata: Readonly<Record<string, unknown>>): FilterOutcome;
}

export function compileFilter(source: string): CompiledFilter {
  const expression = parseFilter(source);
  return Object.freeze({
    source,
    expression,
    evaluate: (metadata: Readonly<Record<string, unknown>>) => evaluateFilter(expression, metadata).matched,
    explain: (metadata: Readonly<Record<string, unknown>>) => evaluateFilter(expression, metadata),
  });
}
