/**
 * go-bexpr keeps every literal as text and converts it to the selected field's type when it
 * evaluates (coerce.go): strconv.ParseBool for booleans, strconv.ParseInt(s, 0, 64) /
 * strconv.ParseFloat for numbers. A literal that does not convert is an evaluation error.
 * JavaScript has one number type, so a number field accepts either spelling (see ADR 0002).
 */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function coerceBoolean(raw: string): boolean | undefined {
  if (GO_TRUE.has(raw)) return true;
  if (GO_FALSE.has(raw)) return false;
  return undefined;
}

const INTEGER_FORMS: readonly (readonly [RegExp, number])[] = [
  [/^0[xX]((?:_?[0-9a-fA-F])+)$/, 16],
  [/^0[oO]((?:_?[0-7])+)$/, 8],
  [/^0[bB]((?:_?[01])+)$/, 2],
  [/^0((?:_?[0-7])+)$/, 8],
  [/^([1-9](?:_?[0-9])*|0)$/, 10],
];
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

export function coerceNumber(raw: string): number | undefined {
  return parseGoInteger(raw) ?? parseGoFloat(raw);
}

function parseGoInteger(raw: string): number | undefined {
  const sign = raw.startsWith('-') ? -1n : 1n;
  const unsigned = /^[+-]/.test(raw) ? raw.slice(1) : raw;
  for (const [form, radix] of INTEGER_FORMS) {
    const digits = form.exec(unsigned)?.[1]?.replaceAll('_', '');
    if (digits === undefined) continue;
    const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
    const value = sign * BigInt(`${prefix}${digits}`);
    return value < INT64_MIN || value > INT64_MAX ? undefined : Number(value);
  }
  return undefined;
}

function parseGoFloat(raw: string): number | undefined {
  if (DECIMAL_FLOAT.test(raw)) return Number(raw);
  const special = SPECIAL_FLOAT.exec(raw);
  if (!special) return undefined;
  if ((special[2] as string).toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}
