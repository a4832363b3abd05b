/**
 * A glob as an RE2 pattern matching the whole value, so that every pattern taken from configuration
 * runs on the linear-time engine (src/regex/compile-re2.ts). The syntax is picomatch's, with
 * `dot: true`:
 *
 *   `*`  any characters within one segment (not `/`); alone in a segment, at least one
 *   `**` alone in a segment: any number of segments, none included (`a/**` matches `a`)
 *   `?`  one character but `/`        `[a-z]`, `[!a-z]`, `[^a-z]`, `[[:alpha:]]`  classes
 *   `{a,b}` alternatives, nested      `{1..3}`, `{a..c}`  ranges
 *   `@(a|b)`, `?(a)`, `*(a)`, `+(a)`  extglobs        `\*`  a literal character
 *
 *   globToRe2('release/*')  // '(?s)^(?:release/[^/]+)$'
 *
 * Dotfiles match like any other name. Where this differs from picomatch 4 (test/triggers/glob-to-re2
 * .test.ts compares the two): `[!a]` negates, as in every shell (picomatch reads `!` and `a`);
 * `**` crosses `/` only as a whole segment (`**.py` is `*.py`); `!(a)` extglobs need look-ahead
 * and are refused (write the exclusion as its own `!` pattern); `*` may match the segments `.`
 * and `..`, which no Git ref, changed path or repository name contains.
 */

export class GlobSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobSyntaxError';
  }
}

/** Longest range `{1..1000}` expands to. */
const RANGE_LIMIT = 1000;

const missing = (side: 'opening' | 'closing', char: string): GlobSyntaxError =>
  new GlobSyntaxError(`Missing ${side}: "${char}" - use "\\\\${char}" to match literal characters`);

export function globToRe2(glob: string, options: { nocase?: boolean } = {}): string {
  // picomatch drops a leading `./`: `./pipelines/**` is `pipelines/**`.
  const relative = glob.replace(/^(?:\.\/)+(?=.)/, '');
  return `(?s${options.nocase === true ? 'i' : ''})^(?:${translate(relative, true, true)})$`;
}

/** `text` is a whole glob or one alternative; the flags say whether it starts or ends a segment. */
function translate(text: string, startsSegment: boolean, endsSegment: boolean): string {
  let out = '';
  let i = 0;
  const atSegmentStart = (at: number): boolean => (at === 0 ? startsSegment : text[at - 1] === '/');
  const atSegmentEnd = (at: number): boolean => (at === text.length ? endsSegment : text[at] === '/');
  while (i < text.length) {
    const char = text[i]!;
    if (char === '\\') {
      out += escape(text[i + 1] ?? '\\');
      i += 2;
    } else if (char === '/' && text.slice(i) === '/**' && endsSegment) {
      out += '(?:/.*)?';
      i = text.length;
    } else if (char === '/' && text.startsWith('/**/', i)) {
      out += '/(?:.*/)?';
      i += 4;
    } else if ('@?*+!'.includes(char) && text[i + 1] === '(') {
      const close = closing(text, i + 1, '(', ')');
      if (char === '!') throw new GlobSyntaxError(`"${text.slice(i, close + 1)}" needs look-ahead, which linear-time matching does not have: write the exclusion as its own "!" pattern`);
      out += `(?:${alternatives(text.slice(i + 2, close), '|', false, false)})${char === '@' ? '' : char}`;
      i = close + 1;
    } else if (char === '*') {
      let end = i;
      while (text[end] === '*') end++;
      const wholeSegment = atSegmentStart(i) && atSegmentEnd(end);
      const globstar = wholeSegment && end - i === 2;
      if (globstar && end === text.length) out += '.*';
      else if (globstar) {
        out += '(?:.*/)?';
        end++;
      } else out += wholeSegment ? '[^/]+' : '[^/]*';
      i = end;
    } else if (char === '?') {
      out += '[^/]';
      i++;
    } else if (char === '[') {
      const close = closing(text, i, '[', ']');
      out += bracket(text.slice(i + 1, close));
      i = close + 1;
    } else if (char === '{') {
      const close = closing(text, i, '{', '}');
      out += braces(text.slice(i + 1, close), atSegmentStart(i), atSegmentEnd(close + 1));
      i = close + 1;
    } else if (char === '(') {
      const close = closing(text, i, '(', ')');
      out += `(?:${alternatives(text.slice(i + 1, close), '|', false, false)})`;
      i = close + 1;
    } else if (char === ')' || char === ']') {
      throw missing('opening', char === ')' ? '(' : '[');
    } else {
      out += escape(char);
      i++;
    }
  }
  return out;
}

/** Where the `close` matching the `open` at `from` is, skipping escapes, classes and nesting. */
function closing(text: string, from: number, open: string, close: string): number {
  if (open === '[') return closingBracket(text, from);
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '[') i = closingBracket(text, i);
    else if (char === open) depth++;
    else if (char === close && --depth === 0) return i;
  }
  throw missing('closing', close);
}

/** The `]` closing the class opened at `from`: not its first character, not inside `[:alpha:]`. */
function closingBracket(text: string, from: number): number {
  const first = text[from + 1] === '!' || text[from + 1] === '^' ? from + 2 : from + 1;
  for (let i = first; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '[' && text[i + 1] === ':' && text.includes(':]', i + 2)) i = text.indexOf(':]', i + 2) + 1;
    else if (char === ']' && i > first) return i;
  }
  throw missing('closing', ']');
}

/** `a,b` (or `a|b`) split at the top level, each translated. */
function alternatives(body: string, separator: string, startsSegment: boolean, endsSegment: boolean): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '\\') i++;
    else if (char === '[') i = closing(body, i, '[', ']');
    else if (char === '{') i = closing(body, i, '{', '}');
    else if (char === '(') i = closing(body, i, '(', ')');
    else if (char === separator) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts.map((part) => translate(part, startsSegment, endsSegment)).join('|');
}

function braces(body: string, startsSegment: boolean, endsSegment: boolean): string {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(body) ?? /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (range !== null) return `(?:${expandRange(range[1]!, range[2]!).map(escape).join('|')})`;
  const split = alternatives(body, ',', startsSegment, endsSegment);
  // `{a}` has one alternative: picomatch reads it literally.
  return split.includes('|') || body.includes(',') ? `(?:${split})` : `\\{${translate(body, false, false)}\\}`;
}

function expandRange(from: string, to: string): string[] {
  const numeric = /\d/.test(from);
  const [a, b] = numeric ? [Number(from), Number(to)] : [from.charCodeAt(0), to.charCodeAt(0)];
  if (Math.abs(b - a) >= RANGE_LIMIT) throw new GlobSyntaxError(`{${from}..${to}} has more than ${RANGE_LIMIT} values`);
  const step = a <= b ? 1 : -1;
  const values: string[] = [];
  for (let v = a; v !== b + step; v += step) values.push(numeric ? String(v) : String.fromCharCode(v));
  return values;
}

/** The inside of `[…]` as an RE2 class; a negated class never matches `/`. */
function bracket(body: string): string {
  const negated = body.startsWith('!') || body.startsWith('^');
  let out = '';
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '[' && body[i + 1] === ':' && body.includes(':]', i + 2)) {
      const end = body.indexOf(':]', i + 2);
      out += body.slice(i, end + 2);
      i = end + 1;
    } else if (char === '\\') {
      out += escapeInClass(body[i + 1] ?? '\\');
      i++;
    } else out += char === '-' ? '-' : escapeInClass(char);
  }
  return negated ? `[^/${out}]` : `[${out}]`;
}

function escape(char: string): string {
  return /[\\.+*?()|[\]{}^$]/.test(char) ? `\\${char}` : char;
}

function escapeInClass(char: string): string {
  return /[\\\]\[^-]/.test(char) ? `\\${char}` : char;
}
