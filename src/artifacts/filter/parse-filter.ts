import type { FilterExpression, MatchExpression, MatchOperator, Selector } from './filter-ast.ts';
import { compileRe2, Re2SyntaxError } from '../../regex/compile-re2.ts';
import { coerceBoolean, coerceFloat64, coerceInt64 } from './coerce-literal.ts';
import { FilterSyntaxError } from './filter-syntax-error.ts';
import { isPointerSelector, pointerParts } from './json-pointer-selector.ts';
import { type Token, tokenizeFilter } from './tokenize-filter.ts';

/**
 * Recursive descent over go-bexpr's PEG grammar (grammar/grammar.peg), rule for rule and in the same
 * order, including its backtracking: `not in tags` is the literal "not" in tags, `"/a/b"` is a JSON
 * pointer selector even where a value is expected. Errors report the furthest point reached.
 */
export function parseFilter(source: string): FilterExpression {
  return new FilterParser(source).parse();
}

/** Thrown inside the parser only; parse() turns the one to report into a FilterSyntaxError. */
class Failure {
  readonly position: number;
  readonly reason: string;
  /** go-bexpr records these as errors even when another alternative would match: no backtracking. */
  readonly fatal: boolean;

  constructor(position: number, reason: string, fatal: boolean) {
    this.position = position;
    this.reason = reason;
    this.fatal = fatal;
  }
}

/** Keeps the recursion far from the stack limit; real filters nest two or three levels. */
const MAX_NESTING = 100;

const SELECTOR_VALUE_OPERATORS: readonly (readonly [readonly string[], MatchOperator])[] = [
  [['contains'], 'in'],
  [['not', 'contains'], 'notIn'],
  [['matches'], 'matches'],
  [['not', 'matches'], 'notMatches'],
];

class FilterParser {
  private readonly source: string;
  private readonly tokens: Token[];
  private at = 0;
  private depth = 0;
  private furthest: Failure | undefined;

  constructor(source: string) {
    this.source = source;
    this.tokens = tokenizeFilter(source);
  }

  parse(): FilterExpression {
    try {
      if (this.peek().kind === 'eof') this.fail('empty expression');
      const expression = this.orExpression();
      if (this.peek().kind !== 'eof') this.fail(`unexpected ${describe(this.peek())}`);
      return expression;
    } catch (error) {
      if (!isFailure(error)) throw error;
      const failure = error.fatal ? error : (this.furthest ?? error);
      throw new FilterSyntaxError(this.source, failure.position, failure.reason);
    }
  }

  /** `a or b or c` is `a or (b or c)`, as go-bexpr's right-recursive rule builds it; read in a loop. */
  private orExpression(): FilterExpression {
    return this.chain('or', () => this.andExpression());
  }

  private andExpression(): FilterExpression {
    return this.chain('and', () => this.notExpression());
  }

  private chain(kind: 'and' | 'or', operand: () => FilterExpression): FilterExpression {
    const operands = [operand()];
    while (this.keywordSequence([kind], true, true)) operands.push(operand());
    return operands.reduceRight((right, left) => ({ kind, left, right }));
  }

  /** `not not a == 1` negates twice; `not == 1` and `not in tags` fall back to "not" as a selector or value. */
  private notExpression(): FilterExpression {
    const start = this.at;
    if (this.keywordSequence(['not'], false, true)) {
      const operand = this.attempt(() => this.nested(() => this.notExpression()));
      if (operand !== undefined) return { kind: 'not', operand };
      this.at = start;
    }
    return this.parenthesized();
  }

  private parenthesized(): FilterExpression {
    if (this.peek().kind !== '(') return this.matchExpression();
    const open = this.next();
    const expression = this.nested(() => this.orExpression());
    if (this.peek().kind !== ')') this.fail(`unmatched "(" at column ${open.start + 1}: expected ")" but found ${describe(this.peek())}`, true);
    this.next();
    return expression;
  }

  private nested<T>(parse: () => T): T {
    if (this.depth >= MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels of "not" and parentheses`, true);
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private matchExpression(): MatchExpression {
    return this.firstOf<MatchExpression>([
      () => {
        const selector = this.selector();
        const operator = this.selectorValueOperator();
        const value = this.value();
        return this.match(operator, selector, value);
      },
      () => {
        const selector = this.selector();
        if (this.keywordSequence(['is', 'empty'], true, false)) return this.match('isEmpty', selector);
        if (this.keywordSequence(['is', 'not', 'empty'], true, false)) return this.match('isNotEmpty', selector);
        if (this.keywordSequence(['is', 'nil'], true, false)) return this.match('isNil', selector);
        if (this.keywordSequence(['is', 'not', 'nil'], true, false)) return this.match('isNotNil', selector);
        const is = this.peek();
        if (is.kind === 'ident' && is.text === 'is' && is.spaceBefore) {
          this.note((this.tokens[this.at + 1] as Token).start, 'expected "empty", "not empty", "nil" or "not nil" after "is"');
        }
        return this.fail(`expected an operator (==, !=, contains, matches, is empty, is nil, …) after the selector but found ${describe(this.peek())}`);
      },
      () => {
        const value = this.value();
        const operator = this.keywordSequence(['in'], true, true) ? 'in' : this.keywordSequence(['not', 'in'], true, true) ? 'notIn' : undefined;
        if (operator === undefined) return this.fail(`expected "in" or "not in" after the value but found ${describe(this.peek())}`);
        if (!startsSelector(this.peek())) {
          return this.fail(`expected a selector after "${operator === 'in' ? 'in' : 'not in'}" but found ${describe(this.peek())}`, true);
        }
        return this.match(operator, this.selector(), value);
      },
    ]);
  }

  private selectorValueOperator(): MatchOperator {
    const token = this.peek();
    if (token.kind === '==' || token.kind === '!=') {
      this.next();
      return token.kind === '==' ? 'equal' : 'notEqual';
    }
    for (const [words, operator] of SELECTOR_VALUE_OPERATORS) if (this.keywordSequence(words, true, true)) return operator;
    return this.fail(`expected an operator (==, !=, contains, matches, is empty, …) after the selector but found ${describe(token)}`);
  }

  private match(operator: MatchOperator, selector: Selector, value?: { raw: string; position: number }): MatchExpression {
    if (value === undefined) return { kind: 'match', operator, selector };
    if (operator === 'matches' || operator === 'notMatches') {
      try {
        return { kind: 'match', operator, selector, value: value.raw, pattern: compileRe2(value.raw) };
      } catch (error) {
        if (!(error instanceof Re2SyntaxError)) throw error;
        return this.fail(error.message, true, value.position);
      }
    }
    const coerced = { boolean: coerceBoolean(value.raw), int64: coerceInt64(value.raw), float64: coerceFloat64(value.raw) };
    return { kind: 'match', operator, selector, value: value.raw, coerced };
  }

  private selector(): Selector {
    const first = this.peek();
    if (isPointerSelector(first)) {
      this.next();
      return { kind: 'pointer', path: pointerParts(first.body), position: first.start };
    }
    if (first.kind !== 'ident') return this.fail(`expected a selector but found ${describe(first)}`);
    this.next();
    const path = [first.text];
    for (;;) {
      const token = this.peek();
      const after = this.tokens[this.at + 1];
      if (token.kind === '.' && !token.spaceBefore && after && !after.spaceBefore && (after.kind === 'ident' || after.kind === 'digits')) {
        path.push(after.text);
        this.at += 2;
      } else if (token.kind === '[' && !token.spaceBefore) {
        path.push(this.index());
      } else {
        return { kind: 'bexpr', path, position: first.start };
      }
    }
  }

  private index(): string {
    this.next();
    const literal = this.peek();
    if (literal.kind !== 'string') return this.fail(`invalid index: expected a quoted key but found ${describe(literal)}`, true);
    this.next();
    if (this.peek().kind !== ']') return this.fail(`unclosed index: expected "]" but found ${describe(this.peek())}`, true);
    this.next();
    return literal.value;
  }

  private value(): { raw: string; position: number } {
    const token = this.peek();
    if (startsSelector(token)) {
      const selector = this.selector();
      return { raw: selector.path.join(selector.kind === 'bexpr' ? '.' : '/'), position: token.start };
    }
    if (token.kind !== 'number' && token.kind !== 'string') return this.fail(`expected a value but found ${describe(token)}`);
    this.next();
    return { raw: token.kind === 'string' ? token.value : token.text, position: token.start };
  }

  /**
   * Consumes `words` if they come next, each preceded by whitespace (the first one only when
   * `spaceFirst`), and followed by whitespace when `spaceAfter`. Otherwise consumes nothing.
   */
  private keywordSequence(words: readonly string[], spaceFirst: boolean, spaceAfter: boolean): boolean {
    const candidates = this.tokens.slice(this.at, this.at + words.length + 1);
    const fits = words.every((word, i) => {
      const token = candidates[i];
      return token?.kind === 'ident' && token.text === word && (token.spaceBefore || (i === 0 && !spaceFirst));
    });
    if (!fits) return false;
    const following = candidates[words.length] as Token;
    if (spaceAfter && !following.spaceBefore) {
      this.note(following.start, `"${words.join(' ')}" must be followed by whitespace and an operand`);
      return false;
    }
    this.at += words.length;
    return true;
  }

  private firstOf<T>(alternatives: readonly (() => T)[]): T {
    const start = this.at;
    let last: Failure | undefined;
    for (const alternative of alternatives) {
      try {
        return alternative();
      } catch (error) {
        if (!isFailure(error) || error.fatal) throw error;
        this.at = start;
        last = error;
      }
    }
    throw last;
  }

  /** Undefined when `parse` fails (consuming nothing); its failure still counts for the message. */
  private attempt<T>(parse: () => T): T | undefined {
    const start = this.at;
    try {
      return parse();
    } catch (error) {
      if (!isFailure(error) || error.fatal) throw error;
      this.at = start;
      return undefined;
    }
  }

  private peek(): Token {
    return this.tokens[this.at] ?? (this.tokens.at(-1) as Token);
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.at += 1;
    return token;
  }

  private fail(reason: string, fatal = false, position = this.peek().start): never {
    throw this.note(position, reason, fatal);
  }

  /** Remembers the failure that got furthest into the source (the first one, at equal distance). */
  private note(position: number, reason: string, fatal = false): Failure {
    const failure = new Failure(position, reason, fatal);
    if (!this.furthest || position > this.furthest.position) this.furthest = failure;
    return failure;
  }
}

function isFailure(error: unknown): error is Failure {
  return error instanceof Failure;
}


function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the filter';
  return JSON.stringify(token.text);
}

/** An identifier, or a double-quoted string shaped like a JSON pointer (`"/a/b"`, `""`). */
function startsSelector(token: Token): boolean {
  return token.kind === 'ident' || isPointerSelector(token);
}
