/**
 * go-bexpr keeps every literal as text and converts it to the selected field's type when it
 * evaluates (coerce.go): strconv.ParseBool for a boolean, strconv.ParseInt(s, 0, 64) for an int64,
 * strconv.ParseFloat(s, 64) for a float64. A conversion fails with a syntax error (inside a list,
 * `in` skips such elements) or a range error (always an evaluation error).
 */
export type Coerced<T> = { readonly value: T } | { readonly failure: 'syntax' | 'range' };

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function coerceBoolean(raw: string): Coerced<boolean> {
  if (GO_TRUE.has(raw)) return { value: true };
  if (GO_FALSE.has(raw)) return { value: false };
  return { failure: 'syntax' };
}

const INTEGER_FORMS: readonly (readonly [RegExp, string])[] = [
  [/^0[xX]((?:_?[0-9a-fA-F])+)$/, '0x'],
  [/^0[oO]((?:_?[0-7])+)$/, '0o'],
  [/^0[bB]((?:_?[01])+)$/, '0b'],
  [/^0((?:_?[0-7])+)$/, '0o'],
  [/^([1-9](?:_?[0-9])*|0)$/, ''],
];
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(raw, 0, 64): base prefixes, a leading 0 for octal, `_` between digits. */
export function coerceInt64(raw: string): Coerced<bigint> {
  const negative = raw.startsWith('-');
  const unsigned = /^[+-]/.test(raw) ? raw.slice(1) : raw;
  for (const [form, prefix] of INTEGER_FORMS) {
    const digits = form.exec(unsigned)?.[1]?.replaceAll('_', '');
    if (digits === undefined) continue;
    const magnitude = BigInt(`${prefix}${digits}`);
    const value = negative ? -magnitude : magnitude;
    return value < INT64_MIN || value > INT64_MAX ? { failure: 'range' } : { value };
  }
  return { failure: 'syntax' };
}

const DIGITS = '[0-9](?:_?[0-9])*';
const HEX_DIGITS = '[0-9a-fA-F](?:_?[0-9a-fA-F])*';
const DECIMAL_FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const HEX_FLOAT = new RegExp(`^([+-]?)0[xX](_?${HEX_DIGITS}(?:\\.(?:${HEX_DIGITS})?)?|\\.${HEX_DIGITS})[pP]([+-]?${DIGITS})$`);
const INFINITY = /^([+-]?)(?:inf|infinity)$/i;

/** strconv.ParseFloat(raw, 64): decimal and hexadecimal (`0x1.8p1`) forms, `inf`, `nan`. */
export function coerceFloat64(raw: string): Coerced<number> {
  if (/^nan$/i.test(raw)) return { value: Number.NaN };
  const infinity = INFINITY.exec(raw);
  if (infinity) return { value: infinity[1] === '-' ? -Infinity : Infinity };
  let value: number;
  if (DECIMAL_FLOAT.test(raw)) {
    value = Number(raw.replaceAll('_', ''));
  } else {
    const hex = HEX_FLOAT.exec(raw);
    if (!hex) return { failure: 'syntax' };
    value = hexFloat(hex[1] === '-', (hex[2] as string).replaceAll('_', ''), Number((hex[3] as string).replaceAll('_', '')));
  }
  return Number.isFinite(value) ? { value } : { failure: 'range' };
}

function hexFloat(negative: boolean, mantissa: string, exponent: number): number {
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}` || '0';
  const magnitude = Number(BigInt(`0x${digits}`)) * 2 ** (exponent - 4 * fraction.length);
  return negative ? -magnitude : magnitude;
}
