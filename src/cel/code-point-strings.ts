/**
 * CEL's string functions with cel-go's meaning: strings are sequences of Unicode code points, so
 * indexes count code points (not UTF-16 units), ordering is by code point, and splitting or
 * replacing around an empty separator happens between code points. JavaScript's own string
 * methods count UTF-16 units, which differs as soon as a string holds a character outside the
 * Basic Multilingual Plane (an emoji: `'a😀b'.substring(1, 2)` is `'😀'` in CEL).
 *
 * These replace the same-named overloads of @bufbuild/cel and its `strings` extension (version 2:
 * charAt, indexOf, lastIndexOf, substring, split, replace, …).
 */
import { CelScalar, celFunc, celMethod, listType, type CelFunc } from '@bufbuild/cel';

const { STRING, INT, BOOL } = CelScalar;
const LIST_OF_STRINGS = listType(STRING);

/** Orders two strings by code point, as Go compares UTF-8 bytes. */
export function compareCodePoints(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a !== b) return codePointRank(a) - codePointRank(b);
  }
  return left.length - right.length;
}

/** Surrogates (U+D800–DFFF, which encode U+10000 and above) rank after U+E000–FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

function outOfRange(index: bigint): Error {
  return new Error(`index out of range: ${index}`);
}

function charAt(text: string, index: bigint): string {
  const points = [...text];
  if (index < 0n || index > BigInt(points.length)) throw outOfRange(index);
  return points[Number(index)] ?? '';
}

function indexOf(text: string, search: string, offset: bigint): bigint {
  if (offset < 0n) throw outOfRange(offset);
  const points = [...text];
  if (search === '') return offset > BigInt(points.length) ? BigInt(points.length) : offset;
  if (offset >= BigInt(points.length)) return -1n;
  const wanted = [...search];
  for (let i = Number(offset); i <= points.length - wanted.length; i++) {
    if (matchesAt(points, wanted, i)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOf(text: string, search: string, offset: bigint): bigint {
  if (offset < 0n) throw outOfRange(offset);
  const points = [...text];
  if (search === '') return offset > BigInt(points.length) ? BigInt(points.length) : offset;
  if (offset >= BigInt(points.length)) return -1n;
  const wanted = [...search];
  for (let i = Math.min(Number(offset), points.length - wanted.length); i >= 0; i--) {
    if (matchesAt(points, wanted, i)) return BigInt(i);
  }
  return -1n;
}

function lastIndexOfAll(text: string, search: string): bigint {
  const points = [...text];
  if (search === '') return BigInt(points.length);
  if (utf8Length(text) < utf8Length(search)) return -1n;
  return lastIndexOf(text, search, BigInt(points.length - 1));
}

function matchesAt(points: readonly string[], wanted: readonly string[], at: number): boolean {
  for (let j = 0; j < wanted.length; j++) if (points[at + j] !== wanted[j]) return false;
  return true;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function substring(text: string, start: bigint, end?: bigint): string {
  const points = [...text];
  const size = BigInt(points.length);
  if (end !== undefined && start > end) throw new Error(`invalid substring range. start: ${start}, end: ${end}`);
  if (start < 0n || start > size) throw outOfRange(start);
  if (end !== undefined && (end < 0n || end > size)) throw outOfRange(end);
  return points.slice(Number(start), end === undefined ? undefined : Number(end)).join('');
}

/** Go's strings.SplitN: n < 0 all pieces, n == 0 none, else at most n with the rest in the last. */
export function splitN(text: string, separator: string, n: bigint): string[] {
  if (n === 0n) return [];
  const pieces = separator === '' ? [...text] : text.split(separator);
  if (n < 0n || BigInt(pieces.length) <= n) return pieces;
  const head = pieces.slice(0, Number(n) - 1);
  return [...head, pieces.slice(head.length).join(separator)];
}

/** Go's strings.Replace: n < 0 replaces every occurrence; an empty `old` matches between code points. */
export function replaceN(text: string, old: string, replacement: string, n: bigint): string {
  if (n === 0n || old === replacement) return text;
  const between = splitN(text, old, -1n);
  const pieces = old === '' ? ['', ...between, ''] : between;
  const limit = n < 0n ? pieces.length - 1 : Math.min(Number(n), pieces.length - 1);
  let result = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) result += (i <= limit ? replacement : old) + (pieces[i] ?? '');
  return result;
}

export const codePointStringFunctions: readonly CelFunc[] = [
  celFunc('_<_', [STRING, STRING], BOOL, (l, r) => compareCodePoints(l, r) < 0),
  celFunc('_<=_', [STRING, STRING], BOOL, (l, r) => compareCodePoints(l, r) <= 0),
  celFunc('_>_', [STRING, STRING], BOOL, (l, r) => compareCodePoints(l, r) > 0),
  celFunc('_>=_', [STRING, STRING], BOOL, (l, r) => compareCodePoints(l, r) >= 0),
  celMethod('charAt', STRING, [INT], STRING, function (index) {
    return charAt(this, index);
  }),
  celMethod('indexOf', STRING, [STRING], INT, function (search) {
    return indexOf(this, search, 0n);
  }),
  celMethod('indexOf', STRING, [STRING, INT], INT, function (search, offset) {
    return indexOf(this, search, offset);
  }),
  celMethod('lastIndexOf', STRING, [STRING], INT, function (search) {
    return lastIndexOfAll(this, search);
  }),
  celMethod('lastIndexOf', STRING, [STRING, INT], INT, function (search, offset) {
    return lastIndexOf(this, search, offset);
  }),
  celMethod('substring', STRING, [INT], STRING, function (start) {
    return substring(this, start);
  }),
  celMethod('substring', STRING, [INT, INT], STRING, function (start, end) {
    return substring(this, start, end);
  }),
  celMethod('split', STRING, [STRING], LIST_OF_STRINGS, function (separator) {
    return splitN(this, separator, -1n);
  }),
  celMethod('split', STRING, [STRING, INT], LIST_OF_STRINGS, function (separator, n) {
    return splitN(this, separator, n);
  }),
  celMethod('replace', STRING, [STRING, STRING], STRING, function (old, replacement) {
    return replaceN(this, old, replacement, -1n);
  }),
  celMethod('replace', STRING, [STRING, STRING, INT], STRING, function (old, replacement, n) {
    return replaceN(this, old, replacement, n);
  }),
];
