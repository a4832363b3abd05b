import { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

/**
 * A regular expression with Go's RE2 syntax (regexp/syntax, Perl flags), matched in time linear in
 * the input by re2js. Every pattern runbridge takes from configuration or matches against event
 * data goes through here: the languages it implements (go-bexpr `matches`, CEL `matches`) define
 * their regular expressions as RE2's, and a backtracking engine would let one event stall the
 * daemon.
 *
 *   const release = compileRe2('(?i)^release/');
 *   release.test('Release/1.2'); // true — an unanchored search, like RegExp.prototype.test
 */
export interface Re2Pattern {
  readonly source: string;
  test(input: string): boolean;
}

/** A pattern that RE2 does not accept: look-around, back-references, `\Z`, `a{1001}`, … */
export class Re2SyntaxError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Re2SyntaxError';
  }
}

/** Longest piece of a pattern quoted back in an error message. */
const QUOTE_LIMIT = 40;

export function compileRe2(pattern: string): Re2Pattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new Re2SyntaxError(describe(error), { cause: error });
  }
  return { source: pattern, test: (input) => compiled.test(input) };
}

function describe(error: unknown): string {
  if (error instanceof RE2JSSyntaxException) {
    const fragment = error.getPattern();
    const quoted = fragment === null || fragment === '' ? '' : `: \`${abbreviate(fragment)}\``;
    return `invalid RE2 regular expression: ${error.getDescription()}${quoted}`;
  }
  if (error instanceof RE2JSException) return `invalid RE2 regular expression: ${abbreviate(error.message)}`;
  throw error;
}

function abbreviate(text: string): string {
  const points = [...text];
  return points.length <= QUOTE_LIMIT ? text : `${points.slice(0, QUOTE_LIMIT).join('')}…`;
}
