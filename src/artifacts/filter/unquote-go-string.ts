/**
 * Go's strconv.Unquote for the two string forms go-bexpr accepts: a double-quoted string with Go
 * escapes, or a backtick raw string (carriage returns dropped). Returns the value, or the offset (in
 * `body`) and reason of the first invalid escape.
 */
export type Unquoted = { readonly value: string } | { readonly offset: number; readonly reason: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

const NUMERIC_ESCAPES: Readonly<Record<string, { length: number; radix: number }>> = {
  x: { length: 2, radix: 16 },
  u: { length: 4, radix: 16 },
  U: { length: 8, radix: 16 },
};

export function unquoteGoString(body: string, quote: '"' | '`'): Unquoted {
  if (quote === '`') return { value: body.replaceAll('\r', '') };
  let value = '';
  let i = 0;
  while (i < body.length) {
    const char = body[i] as string;
    if (char === '\n') return { offset: i, reason: 'newline in string literal (use \\n or a `raw` string)' };
    if (char !== '\\') {
      value += char;
      i += 1;
      continue;
    }
    const escape = body[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const numeric = NUMERIC_ESCAPES[escape];
    const octal = /^[0-7]{3}/.exec(body.slice(i + 1));
    const digits = numeric ? body.slice(i + 2, i + 2 + numeric.length) : (octal?.[0] ?? '');
    const valid = numeric ? new RegExp(`^[0-9a-fA-F]{${numeric.length}}$`).test(digits) : octal !== null;
    const code = valid ? Number.parseInt(digits, numeric?.radix ?? 8) : -1;
    if (!valid || code > (numeric && escape !== 'x' ? 0x10ffff : 0xff) || (code >= 0xd800 && code <= 0xdfff)) {
      return { offset: i, reason: `invalid escape \\${escape}${digits} in string literal` };
    }
    value += String.fromCodePoint(code);
    i += 2 + (numeric ? numeric.length : 2);
  }
  return { value };
}
