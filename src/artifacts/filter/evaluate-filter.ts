import type { CoercedLiteral, FilterExpression, MatchExpression, MatchOperator } from './filter-ast.ts';
import { selectorText } from './filter-ast.ts';
import { type Field, fieldOf, numberText } from './field-kind.ts';
import { lookupSelector } from './lookup-selector.ts';

/**
 * The result of one evaluation. `error` is set when go-bexpr would have returned an error (a missing
 * top-level field, a literal that does not convert to the field's type, an operator that does not
 * apply to the field) or panicked (null where it needs a type): KFP-Operator then skips the
 * artifact, so `matched` is false.
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
  isNil: true,
  isNotNil: false,
};

const NEGATED: Partial<Record<MatchOperator, MatchOperator>> = {
  notEqual: 'equal',
  notIn: 'in',
  isNotEmpty: 'isEmpty',
  notMatches: 'matches',
  isNotNil: 'isNil',
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
  const truth = apply(positive, expression, fieldOf(found.value));
  return typeof truth === 'boolean' && positive !== expression.operator ? !truth : truth;
}

function apply(operator: MatchOperator, expression: MatchExpression, field: Field): Truth {
  const where = (): string => selectorText(expression.selector);
  switch (operator) {
    case 'equal':
      return equals(expression, field, where);
    case 'in':
      return contains(expression, field, where);
    case 'isEmpty':
      if (field.kind === 'string' || field.kind === 'list') return field.value.length === 0;
      if (field.kind === 'object') return Object.keys(field.value).length === 0;
      return { failure: `${where()} is ${field.kind}, which has no length` };
    case 'isNil':
      if (field.kind === 'null') return true;
      if (field.kind === 'list' || field.kind === 'object') return false;
      return { failure: `${where()} is ${field.kind}, which cannot be nil` };
    case 'matches':
      if (field.kind !== 'string') return { failure: `${where()} is ${field.kind}, not a string to match` };
      return (expression.pattern as NonNullable<MatchExpression['pattern']>).test(field.value);
    default:
      return { failure: `unexpected operator ${operator}` };
  }
}

/** Equality after converting the literal to the field's type (doMatchEqual). */
function equals(expression: MatchExpression, field: Field, where: () => string): Truth {
  const raw = expression.value ?? '';
  const coerced = expression.coerced as CoercedLiteral;
  const mismatch = { failure: `cannot compare ${where()} (${field.kind}) with ${JSON.stringify(raw)}` };
  switch (field.kind) {
    case 'string':
      return field.value === raw;
    case 'boolean':
      return 'value' in coerced.boolean ? coerced.boolean.value === field.value : mismatch;
    case 'int64':
      return 'value' in coerced.int64 ? coerced.int64.value === field.value : mismatch;
    case 'float64':
      return 'value' in coerced.float64 ? coerced.float64.value === field.value : mismatch;
    default:
      return mismatch;
  }
}

/**
 * `in` / `contains` (doMatchIn): a key of an object, a substring of a string, an element of a list.
 * List elements are compared as go-bexpr sees a JSON list: strings and numbers by their text (a
 * nested number stays a json.Number, a string to reflection), booleans after ParseBool, skipping
 * elements the literal does not parse as.
 */
function contains(expression: MatchExpression, field: Field, where: () => string): Truth {
  const raw = expression.value ?? '';
  switch (field.kind) {
    case 'string':
      return field.value.includes(raw);
    case 'object':
      return Object.hasOwn(field.value, raw);
    case 'list':
      for (const element of field.value) {
        const item = fieldOf(element);
        if (item.kind === 'string' && item.value === raw) return true;
        if ((item.kind === 'int64' || item.kind === 'float64') && numberText(element) === raw) return true;
        if (item.kind === 'boolean') {
          const coerced = (expression.coerced as CoercedLiteral).boolean;
          if ('value' in coerced && coerced.value === item.value) return true;
        }
        if (item.kind === 'null' || item.kind === 'list' || item.kind === 'object') {
          return { failure: `${where()} holds ${item.kind}, which cannot be compared with ${JSON.stringify(raw)}` };
        }
      }
      return false;
    default:
      return { failure: `${where()} is ${field.kind}; "in" and "contains" need a list, an object or a string` };
  }
}
