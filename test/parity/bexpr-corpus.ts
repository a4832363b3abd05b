import { pick } from './run-reference.ts';

/**
 * Generated go-bexpr filters and metadata for the differential test: selectors, operators and
 * literals drawn from the shapes where an implementation can go wrong (number spellings, keys with
 * `/`, list indexes, null, RE2-only syntax), combined with and/or/not and parentheses, and some
 * mutated by a character to reach the syntax errors.
 */
const SELECTORS = [
  'a', 'b', 'a/b', 's', 'n', 'f', 'big', 'z', 'list', 'list.0', 'list.1', 'list.010', 'list.01', 'list["0x1"]',
  'm', 'm.x', 'm.n', 'm.missing', 'm.l.0', 'missing', 'missing.x', '"/m/x"', '"/a~1b"', 'm["x"]', 'not', 'is',
];
const VALUES = [
  '1', '0', '-3', '8', '10', '0.5', '1.5', '-2.25', '9007199254740993', '9223372036854775808', '1.0',
  '"1"', '"010"', '"0x1"', '"0b1"', '"1e0"', '"1_0"', '"0x1p3"', '"inf"', '"NaN"', '"true"', '"T"', '"x"', '""',
  '`a.b`', '"a.b"', 'x', 'true', 'abc', '"\\u0078"', '"/m/x"', '"1e21"', '"1e+21"', '"0.5"', '"-3"', '"9007199254740993"',
];
const PATTERNS = [
  '"x"', '"^x$"', '"(?i)^ABC"', '"\\\\pL+"', '"[[:alpha:]]"', '"\\\\x{41}"', '"a\\\\z"', '"^$"', '"(?s)."', '"[0-9]+"',
  '"(?=x)"', '"(a)\\\\1"', '"a\\\\Z"', '"a{1001}"', '"a{2}"', '"(?U)a+"', '"\\\\Qa.b\\\\E"', '"(?P<n>x)"', '"["', '`\\d`',
];
const OPERATORS = ['==', '!=', 'contains', 'not contains', 'matches', 'not matches', 'is empty', 'is not empty', 'is nil', 'is not nil', 'in', 'not in'];

const SCALARS: readonly unknown[] = ['', 'x', '1', '010', '0x1', 'true', 'abc', 'a.b', 'ABC', 'é', 0, 1, -3, 8, 10, 0.5, 1.5, -2.25, 1e21, 1e-7, 9007199254740993n, true, false, null];

export function generateMetadata(random: () => number): Record<string, unknown> {
  const scalar = (): unknown => pick(random, SCALARS);
  const list = (): unknown[] => Array.from({ length: Math.floor(random() * 12) }, scalar);
  const value = (depth: number): unknown => {
    const roll = random();
    if (roll < 0.55 || depth > 1) return scalar();
    if (roll < 0.8) return list();
    return Object.fromEntries(['x', 'n', 'l'].filter(() => random() < 0.8).map((key) => [key, key === 'l' ? list() : value(depth + 1)]));
  };
  return Object.fromEntries(['a', 'b', 'a/b', 's', 'n', 'f', 'big', 'z', 'list', 'm', 'not', 'is'].filter(() => random() < 0.85).map((key) => [key, value(0)]));
}

export function generateFilter(random: () => number): string {
  const expression = (depth: number): string => {
    const roll = random();
    if (depth > 2 || roll < 0.55) return match();
    if (roll < 0.7) return `not ${expression(depth + 1)}`;
    if (roll < 0.8) return `(${expression(depth + 1)})`;
    return `${expression(depth + 1)} ${pick(random, ['and', 'or'])} ${expression(depth + 1)}`;
  };
  const match = (): string => {
    const operator = pick(random, OPERATORS);
    const selector = pick(random, SELECTORS);
    if (operator.startsWith('is ')) return `${selector} ${operator}`;
    if (operator === 'in' || operator === 'not in') return `${pick(random, VALUES)} ${operator} ${selector}`;
    if (operator.endsWith('matches')) return `${selector} ${operator} ${pick(random, PATTERNS)}`;
    const space = random() < 0.2 && operator.length === 2 ? '' : ' ';
    return `${selector}${space}${operator}${space}${pick(random, VALUES)}`;
  };
  const filter = expression(0);
  return random() < 0.1 ? mutate(random, filter) : filter;
}

function mutate(random: () => number, filter: string): string {
  const at = Math.floor(random() * filter.length);
  const roll = random();
  if (roll < 0.4) return filter.slice(0, at) + filter.slice(at + 1);
  return filter.slice(0, at) + pick(random, [' ', '(', ')', '"', '.', '/', '1', '[', ']', '`', '\\', '_']) + filter.slice(at);
}
