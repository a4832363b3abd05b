/**
 * Numeric overloads where @bufbuild/cel and cel-go disagree, replaced with cel-go's meaning:
 *
 * - `int % int` is an overflow error for `-9223372036854775808 % -1`, as `/` already is;
 * - `string(double)` is Go's `%g` (see formatDouble);
 * - `int(string)`, `uint(string)` and `double(string)` accept what Go's strconv.ParseInt,
 *   ParseUint and ParseFloat accept (base 10, and hexadecimal floats), not what JavaScript's
 *   BigInt() and Number() do (`int('0x10')`, `uint('+1')`, `double('')` and `double(' 1')` are
 *   errors);
 * - `==` and `!=` between a double and an int or uint compare the integer converted to a double
 *   when it is in range, as cel-go does: `9007199254740993 == 9007199254740992.0` is true.
 */
import { CelScalar, celEnv, celFunc, celUint, isCelError, isCelUint, type CelFunc, type CelValue } from '@bufbuild/cel';
import { formatDouble } from './format-double.ts';

const { INT, UINT, DOUBLE, STRING, DYN, BOOL } = CelScalar;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const DECIMAL_INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL_UNSIGNED = /^[0-9]+$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;
/** strconv.ParseFloat's decimal forms plus inf, infinity and nan in any case, each with a sign. */
const GO_FLOAT = /^[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)$/i;

function conversionError(text: string, to: string): Error {
  return new Error(`type conversion error from 'string' to '${to}': ${JSON.stringify(text)}`);
}

function parseInt64(text: string): bigint {
  if (!DECIMAL_INTEGER.test(text)) throw conversionError(text, 'int');
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new Error('integer overflow');
  return value;
}

function parseUint64(text: string): bigint {
  if (!DECIMAL_UNSIGNED.test(text)) throw conversionError(text, 'uint');
  const value = BigInt(text);
  if (value > UINT64_MAX) throw new Error('unsigned integer overflow');
  return value;
}

function parseDouble(text: string): number {
  const hex = HEX_FLOAT.exec(text);
  if (hex !== null) return parseHexFloat(text, hex);
  if (!GO_FLOAT.test(text)) throw conversionError(text, 'double');
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (/^-?inf/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`type conversion error from 'string' to 'double': out of range`);
  return value;
}

function parseHexFloat(text: string, [, sign = '', whole = '', fraction = '', exponent = '0']: RegExpExecArray): number {
  if (whole === '' && fraction === '') throw conversionError(text, 'double');
  const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16);
  const value = mantissa * 2 ** (Number(exponent) - 4 * fraction.length);
  if (!Number.isFinite(value)) throw new Error(`type conversion error from 'string' to 'double': out of range`);
  return sign === '-' ? -value : value;
}

const TWO_TO_63 = 2 ** 63;
const TWO_TO_64 = 2 ** 64;

/** cel-go's equality of a double with an int or uint; undefined when the operands are not that pair. */
function mixedNumericEquals(left: CelValue, right: CelValue): boolean | undefined {
  if (typeof left !== 'number') return typeof right === 'number' ? mixedNumericEquals(right, left) : undefined;
  if (typeof right === 'bigint') return left >= -TWO_TO_63 && left < TWO_TO_63 && left === Number(right);
  if (isCelUint(right)) return left >= 0 && left < TWO_TO_64 && left === Number(right.value);
  return undefined;
}

const standardEquals = celEnv().funcs.find('_==_');

function equals(left: CelValue, right: CelValue): boolean {
  const mixed = mixedNumericEquals(left, right);
  if (mixed !== undefined) return mixed;
  const result = standardEquals?.call(0, undefined, [left, right]);
  if (result === undefined || isCelError(result)) throw result ?? new Error('no such overload: _==_');
  return result === true;
}

function modulo(left: bigint, right: bigint): bigint {
  if (right === 0n) throw new Error('modulus by zero');
  if (left === INT64_MIN && right === -1n) throw new Error('integer overflow');
  return left % right;
}

export const numericFunctions: readonly CelFunc[] = [
  celFunc('_%_', [INT, INT], INT, modulo),
  celFunc('_==_', [DYN, DYN], BOOL, equals),
  celFunc('_!=_', [DYN, DYN], BOOL, (left, right) => !equals(left, right)),
  celFunc('string', [DOUBLE], STRING, formatDouble),
  celFunc('int', [STRING], INT, parseInt64),
  celFunc('uint', [STRING], UINT, (text) => celUint(parseUint64(text))),
  celFunc('double', [STRING], DOUBLE, parseDouble),
];
