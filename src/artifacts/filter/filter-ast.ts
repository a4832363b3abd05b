import type { Re2Pattern } from '../../regex/compile-re2.ts';
import type { Coerced } from './coerce-literal.ts';

/**
 * The parsed form of a go-bexpr filter expression. Mirrors go-bexpr's grammar package: `contains`
 * parses to the same `in` operator as `<value> in <selector>` (the operands are swapped in source).
 */
export type FilterExpression = BinaryExpression | NotExpression | MatchExpression;

export interface BinaryExpression {
  readonly kind: 'and' | 'or';
  readonly left: FilterExpression;
  readonly right: FilterExpression;
}

export interface NotExpression {
  readonly kind: 'not';
  readonly operand: FilterExpression;
}

export type MatchOperator =
  | 'equal'
  | 'notEqual'
  | 'in'
  | 'notIn'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'isNil'
  | 'isNotNil'
  | 'matches'
  | 'notMatches';

/** `pushed`, `metrics.accuracy`, `labels["team"]`, `list.0` (bexpr), or `"/a/b"` (JSON pointer). */
export interface Selector {
  readonly kind: 'bexpr' | 'pointer';
  readonly path: readonly string[];
  /** 0-based offset in the filter source. */
  readonly position: number;
}

export interface MatchExpression {
  readonly kind: 'match';
  readonly operator: MatchOperator;
  readonly selector: Selector;
  /**
   * The literal as go-bexpr keeps it: raw text, converted to the selected field's type only when
   * evaluated. Absent for `is empty`, `is nil` and their negations.
   */
  readonly value?: string;
  /** `value` converted once for each field type go-bexpr converts it to (coerce.go). */
  readonly coerced?: CoercedLiteral;
  /** Compiled once for `matches` / `not matches`. */
  readonly pattern?: Re2Pattern;
}

export interface CoercedLiteral {
  readonly boolean: Coerced<boolean>;
  readonly int64: Coerced<bigint>;
  readonly float64: Coerced<number>;
}

/** How a selector reads in messages: `metrics.accuracy` or `"/metrics/accuracy"`. */
export function selectorText(selector: Selector): string {
  return selector.kind === 'bexpr'
    ? selector.path.join('.')
    : JSON.stringify(`/${selector.path.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`);
}
