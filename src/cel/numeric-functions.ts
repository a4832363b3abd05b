/**
 * Numeric overloads where @bufbuild/cel and cel-go disagree, replaced with cel-go's meaning:
 *
 * - `int % int` is an overflow error for `-9223372036854775808 % -1`, as `/` already is;
 * - `string(double)` is Go's `%g` (see formatDouble);
 * - `int(string)`, `uint(string)` and `double(string)` accept what Go's strconv.ParseInt,
 *   ParseUint and ParseFloat accept in base 10, not what JavaScript's BigInt() and Number() do
 *   (`int('0x10')`, `double('')` and `double(' 1')` are errors).
 */
import { CelScalar, celFunc, celUint, type CelFunc } from '@bufbuild/cel';
import { formatDouble } from './format-double.ts';

const { INT, UINT, DOUBLE, STRING } = CelScalar;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const DECIMAL_INTEGER = /^[+-]?[0-9]+$/;
const DECIMAL_UNSIGNED = /^\+?[0-9]+$/;
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
  if (!GO_FLOAT.test(text)) throw conversionError(text, 'double');
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (/^-?inf/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`type conversion error from 'string' to 'double': out of range`);
  return value;
}

function modulo(left: bigint, right: bigint): bigint {
  if (right === 0n) throw new Error('modulus by zero');
  if (left === INT64_MIN && right === -1n) throw new Error('integer overflow');
  return left % right;
}

export const numericFunctions: readonly CelFunc[] = [
  celFunc('_%_', [INT, INT], INT, modulo),
  celFunc('string', [DOUBLE], STRING, formatDouble),
  celFunc('int', [STRING], INT, parseInt64),
  celFunc('uint', [STRING], UINT, (text) => celUint(parseUint64(text))),
  celFunc('double', [STRING], DOUBLE, parseDouble),
];
