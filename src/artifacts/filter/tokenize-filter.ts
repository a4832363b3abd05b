import { FilterSyntaxError } from './filter-syntax-error.ts';
import { unquoteGoString } from './unquote-go-string.ts';

/**
 * The lexer. go-bexpr's grammar is whitespace-sensitive (`in`, `and`, `contains`… need blanks around
 * them, `==` does not; selectors and numbers may not be split), so every token records whether
 * whitespace came before it and the parser checks those rules.
 */
export type Token =
  | PunctuationToken
  | { readonly kind: 'ident' | 'number' | 'digits'; readonly text: string; readonly start: number; readonly spaceBefore: boolean }
  | StringToken
  | { readonly kind: 'eof'; readonly text: ''; readonly start: number; readonly spaceBefore: boolean };

export interface PunctuationToken {
  readonly kind: '(' | ')' | '[' | ']' | '.' | '==' | '!=';
  readonly text: string;
  readonly start: number;
  readonly spaceBefore: boolean;
}

export interface StringToken {
  readonly kind: 'string';
  readonly quote: '"' | '`';
  /** The characters between the quotes, unprocessed (a JSON pointer selector is read from these). */
  readonly body: string;
  readonly value: string;
  readonly text: string;
  readonly start: number;
  readonly spaceBefore: boolean;
}

const WHITESPACE = /[ \t\r\n]+/y;
const IDENT = /[a-zA-Z][a-zA-Z0-9_/]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?/y;
const DIGITS = /[0-9]+/y;
const AFTER_NUMBER = /[ \t\r\n)]/;

function matchAt(pattern: RegExp, source: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(source)?.[0];
}

export function tokenizeFilter(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    const blank = matchAt(WHITESPACE, source, at);
    const spaceBefore = blank !== undefined;
    at += blank?.length ?? 0;
    if (at >= source.length) {
      tokens.push({ kind: 'eof', text: '', start: at, spaceBefore });
      return tokens;
    }
    const start = at;
    const char = source[at] as string;
    const previous = tokens.at(-1);
    const two = source.slice(at, at + 2);
    if (two === '==' || two === '!=') {
      tokens.push({ kind: two, text: two, start, spaceBefore });
    } else if ('()[].'.includes(char)) {
      tokens.push({ kind: char as PunctuationToken['kind'], text: char, start, spaceBefore });
    } else if (char === '"' || char === '`') {
      tokens.push(readString(source, start, char, spaceBefore));
    } else if (previous?.kind === '.' && !spaceBefore && /[0-9]/.test(char)) {
      // `list.0`: a numeric selector segment, not a number literal.
      tokens.push({ kind: 'digits', text: matchAt(DIGITS, source, at) as string, start, spaceBefore });
    } else if (matchAt(NUMBER, source, at) !== undefined) {
      const text = matchAt(NUMBER, source, at) as string;
      const next = source[at + text.length];
      if (next !== undefined && !AFTER_NUMBER.test(next)) {
        throw new FilterSyntaxError(source, start, 'invalid number literal');
      }
      tokens.push({ kind: 'number', text, start, spaceBefore });
    } else if (matchAt(IDENT, source, at) !== undefined) {
      tokens.push({ kind: 'ident', text: matchAt(IDENT, source, at) as string, start, spaceBefore });
    } else {
      const hint = char === '_' ? ' (identifiers start with a letter; select other keys as "/key")' : '';
      throw new FilterSyntaxError(source, start, `unexpected character ${JSON.stringify(char)}${hint}`);
    }
    at += (tokens.at(-1) as Token).text.length;
  }
}

function readString(source: string, start: number, quote: '"' | '`', spaceBefore: boolean): StringToken {
  let end = start + 1;
  // The grammar ends a string at the next quote character, even after a backslash (`"a\"` is then
  // not a valid Go string).
  while (end < source.length && source[end] !== quote) end += 1;
  if (end >= source.length) throw new FilterSyntaxError(source, start, 'unterminated string literal');
  const body = source.slice(start + 1, end);
  const unquoted = unquoteGoString(body, quote);
  if ('reason' in unquoted) throw new FilterSyntaxError(source, start + 1 + unquoted.offset, unquoted.reason);
  return { kind: 'string', quote, body, value: unquoted.value, text: source.slice(start, end + 1), start, spaceBefore };
}
