import { type FilterExpression, type MatchExpression, type MatchOperator, selectorText } from './filter-ast.ts';
import { isObject, lookupSelector, typeName } from './lookup-selector.ts';

/**
 * The result of one evaluation. `error` is set when go-bexpr would have returned an error (a missing
 * top-level field, a literal that does not convert to the field's type, an operator that does not
 * apply to the field): KFP-Operator then skips the artifact, so `matched` is false.
 */
export interface FilterOutcome {
  readonly matched: boolean;
  readonly error?: string;
}

type Truth = boolean | { readonly failure: string };

/** go-bexpr's answer when the selected key is absent from its (non-root) object. */
const NOT_PRESENT: Readonly<Record<MatchOperator, boolean>> = {
  equal: false,
  notEqual: true,
  in: false,
  notIn: true,
  isEmpty: true,
  isNotEmpty: false,
  matches: false,
  notMatches: true,
};

const NEGATED: Partial<Record<MatchOperator, MatchOperator>> = {
  notEqual: 'equal',
  notIn: 'in',
  isNotEmpty: 'isEmpty',
  notMatches: 'matches',
};

export function evaluateFilter(expression: FilterExpression, metadata: unknown): FilterOutcome {
  const truth = evaluate(expression, metadata);
  return typeof truth === 'boolean' ? { matched: truth } : { matched: false, error: truth.failure };
}

/**
 * Short-circuits like go-bexpr: an error on the left of and/or is the answer; the right is not read.
 * Chains (`a or b or c`, nested to the right) are walked in a loop, not by recursion.
 */
function evaluate(expression: FilterExpression, metadata: unknown): Truth {
  switch (expression.kind) {
    case 'and':
    case 'or': {
      // `and` reads on while its operands are true, `or` while they are false.
      const readOnWhile = expression.kind === 'and';
      let node: FilterExpression = expression;
      while (node.kind === expression.kind) {
        const left: Truth = evaluate(node.left, metadata);
        if (left !== readOnWhile) return left;
        node = node.right;
      }
      return evaluate(node, metadata);
    }
    case 'not': {
      const operand = evaluate(expression.operand, metadata);
      return typeof operand === 'boolean' ? !operand : operand;
    }
    case 'match':
      return evaluateMatch(expression, metadata);
  }
}

function evaluateMatch(expression: MatchExpression, metadata: unknown): Truth {
  const found = lookupSelector(expression.selector, metadata);
  if (found.kind === 'absent') return NOT_PRESENT[expression.operator];
  if (found.kind === 'failure') return { failure: found.failure };
  const positive = NEGATED[expression.operator] ?? expression.operator;
  const truth = apply(positive, expression, found.value);
  return typeof truth === 'boolean' && positive !== expression.operator ? !truth : truth;
}

function apply(operator: MatchOperator, expression: MatchExpression, value: unknown): Truth {
  const raw = expression.value ?? '';
  const where = (): string => selectorText(expression.selector);
  switch (operator) {
    case 'equal':
      return equals(expression, value) ?? { failure: `cannot compare ${where()} (${typeName(value)}) with ${JSON.stringify(raw)}` };
    case 'in':
      return contains(expression, value, where);
    case 'isEmpty':
      if (typeof value === 'string' || Array.isArray(value)) return value.length === 0;
      if (isObject(value)) return Object.keys(value).length === 0;
      return { failure: `${where()} is ${typeName(value)}, which has no length` };
    case 'matches':
      if (typeof value !== 'string') return { failure: `${where()} is ${typeName(value)}, not a string to match` };
      return (expression.pattern as RegExp).test(value);
    default:
      return { failure: `unexpected operator ${operator}` };
  }
}

/** Equality after converting the literal to the field's type; undefined when it does not convert. */
function equals(literal: MatchExpression, value: unknown): boolean | undefined {
  if (typeof value === 'string') return value === literal.value;
  if (typeof value === 'boolean') return literal.booleanValue === undefined ? undefined : literal.booleanValue === value;
  if (typeof value === 'number') return literal.numberValue === undefined ? undefined : literal.numberValue === value;
  return undefined;
}

/** `in` / `contains`: a key of an object, an element of a list, a substring of a string. */
function contains(literal: MatchExpression, value: unknown, where: () => string): Truth {
  const raw = literal.value ?? '';
  if (typeof value === 'string') return value.includes(raw);
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) {
      if (element === null || typeof element === 'object') {
        return { failure: `${where()} holds ${typeName(element)}, which cannot be compared with ${JSON.stringify(raw)}` };
      }
      // An element the literal does not convert to is skipped, as go-bexpr skips strconv syntax errors.
      if (equals(literal, element) === true) return true;
    }
    return false;
  }
  if (isObject(value)) return Object.hasOwn(value, raw);
  return { failure: `${where()} is ${typeName(value)}; "in" and "contains" need a list, an object or a string` };
}
