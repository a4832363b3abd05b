/**
 * A seeded corpus of `when` expressions over what runbridge exposes to CEL: the three variables,
 * strings (with characters outside the BMP and non-ASCII letters), ints at the int64 edges,
 * doubles, uints, lists, timestamps and durations, the standard functions, the strings
 * extension, macros and `matches`. The same seed gives the same corpus.
 */
import type { CelCase } from './cel-reference.ts';

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const STRINGS = ['', 'main', 'Main', 'release/1.2', 'a\u{1F600}b', '\u{1F600}', '\uFF61', 'ÀÉ', 'àé', 'straße', 'x y ', ' \t', 'a,b,,c', 'abcabc', 'feat: add', '[skip ci]', 'ǅ', '\u{10FFFF}'];
const INTS = ['0', '1', '-1', '2', '7', '-7', '100', '9223372036854775807', '-9223372036854775808', '4611686018427387904', '3'];
const DOUBLES = ['0.0', '1.5', '-2.25', '1e-7', '1e21', '123456.0', '1234567.0', '0.1', '1e19', '-1e19', '9.3e18', '2.5e-5', '1e300'];
const PATTERNS = ['^main$', '(?i)^MAIN', '\\pL+', '[[:alpha:]]', '\\x{41}', '^release/[0-9]+', 'a|b', '^$', '.', '\\d+', '(?s).', '^\\p{So}'];
const TIMES = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123456789Z', '2024-01-01T00:00:00.123456788Z', '2024-02-29T23:59:59.999999999Z', '1970-01-01T00:00:00Z', '2024-06-01T12:00:00+02:00'];
const DURATIONS = ['1ns', '1h', '59m', '1.5s', '1500ms', '-1s', '86400s', '0s'];
const STRING_VARS = ['git.branch', 'git.actor', 'git.headCommitMessage', 'event.type', 'event.id', 'payload.sender.login', 'git.repository', 'git.tag'];
const NUMBER_VARS = ['git.pullRequest.number', 'payload.size', 'payload.ratio'];

export const CEL_VARIABLE_SETS: readonly CelCase['vars'][] = [
  {
    event: { id: 'delivery-1', source: 'github', type: 'github.push', time: '2024-06-01T10:00:00Z' },
    git: { provider: 'github', kind: 'push', repository: 'acme/widgets', branch: 'main', actor: 'octo', headCommitMessage: 'fix: a\u{1F600}b [skip ci]', changedPaths: ['src/a.ts', 'docs/b.md'], deleted: false, created: false },
    payload: { sender: { login: 'octo', type: 'User' }, size: 3, ratio: 0.5, labels: ['x', 'ÀÉ'] },
  },
  {
    event: { id: 'd\u{1F600}2', source: 'github', type: 'github.pull_request', time: '2024-01-01T00:00:00.123456789Z' },
    git: { provider: 'github', kind: 'pull_request', repository: 'acme/ÀÉ', branch: '\u{1F600}', actor: 'àé', tag: 'v1', pullRequest: { number: 42, title: 'WIP straße', merged: false }, changedPaths: [], deleted: false, created: true },
    payload: { sender: { login: '\uFF61', type: 'Bot' }, size: 9007199254740993, ratio: 1e-7, labels: [] },
  },
];

function quote(text: string): string {
  return JSON.stringify(text);
}

export function generateCelCorpus(seed: number, count: number): CelCase[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number): boolean => random() < p;

  const stringLiteral = (): string => quote(pick(STRINGS));
  const int = (depth: number): string => {
    if (depth <= 0) return pick(INTS);
    switch (Math.floor(random() * 9)) {
      case 0: return `size(${str(depth - 1)})`;
      case 1: return `${str(depth - 1)}.indexOf(${stringLiteral()}${chance(0.3) ? `, ${pick(['0', '1', '2', '-1', '9'])}` : ''})`;
      case 2: return `${str(depth - 1)}.lastIndexOf(${stringLiteral()}${chance(0.3) ? `, ${pick(['0', '1', '2', '-1', '9'])}` : ''})`;
      case 3: return `(${int(depth - 1)} ${pick(['+', '-', '*', '/', '%'])} ${int(depth - 1)})`;
      case 4: return `int(${double(depth - 1)})`;
      case 5: return `int(${quote(pick(['42', '-42', '0x10', ' 1', '+5', '9223372036854775808', '1_000', '']))})`;
      case 6: return `-${int(depth - 1)}`;
      case 7: return `int(timestamp(${quote(pick(TIMES))}))`;
      default: return pick(INTS);
    }
  };
  const double = (depth: number): string => {
    if (depth <= 0) return chance(0.5) ? pick(DOUBLES) : pick(NUMBER_VARS);
    switch (Math.floor(random() * 5)) {
      case 0: return `(${double(depth - 1)} ${pick(['+', '-', '*', '/'])} ${double(depth - 1)})`;
      case 1: return `double(${int(depth - 1)})`;
      case 2: return `double(${quote(pick(['1.5', '1e-7', 'NaN', 'inf', '-Infinity', '', ' 1', '1e400', '.5', '5.', '0x1p-2']))})`;
      default: return pick(DOUBLES);
    }
  };
  const str = (depth: number): string => {
    if (depth <= 0) return chance(0.5) ? stringLiteral() : pick(STRING_VARS);
    switch (Math.floor(random() * 12)) {
      case 0: return `${str(depth - 1)}.lowerAscii()`;
      case 1: return `${str(depth - 1)}.upperAscii()`;
      case 2: return `${str(depth - 1)}.trim()`;
      case 3: return `${str(depth - 1)}.substring(${pick(['0', '1', '2', '3', '-1'])}${chance(0.5) ? `, ${pick(['0', '1', '2', '3', '4'])}` : ''})`;
      case 4: return `${str(depth - 1)}.charAt(${pick(['0', '1', '2', '3'])})`;
      case 5: return `${str(depth - 1)}.replace(${stringLiteral()}, ${stringLiteral()}${chance(0.3) ? `, ${pick(['-1', '0', '1', '2'])}` : ''})`;
      case 6: return `string(${int(depth - 1)})`;
      case 7: return `string(${double(depth - 1)})`;
      case 8: return `(${str(depth - 1)} + ${str(depth - 1)})`;
      case 9: return `${list(depth - 1)}.join(${chance(0.5) ? stringLiteral() : ''})`;
      case 10: return `string(timestamp(${quote(pick(TIMES))})${chance(0.5) ? ` + duration(${quote(pick(DURATIONS))})` : ''})`;
      default: return `strings.quote(${str(depth - 1)})`;
    }
  };
  const list = (depth: number): string => {
    switch (Math.floor(random() * 5)) {
      case 0: return 'git.changedPaths';
      case 1: return 'payload.labels';
      case 2: return `${str(Math.max(depth - 1, 0))}.split(${stringLiteral()}${chance(0.4) ? `, ${pick(['-1', '0', '1', '2'])}` : ''})`;
      case 3: return '[]';
      default: return `[${Array.from({ length: 1 + Math.floor(random() * 3) }, () => stringLiteral()).join(', ')}]`;
    }
  };
  const comparison = (): string => pick(['==', '!=', '<', '<=', '>', '>=']);
  const bool = (depth: number): string => {
    switch (Math.floor(random() * 17)) {
      case 0: return `${str(depth)} ${comparison()} ${str(depth)}`;
      case 1: return `${int(depth)} ${comparison()} ${int(depth)}`;
      case 2: return `${double(depth)} ${comparison()} ${double(depth)}`;
      case 3: return `${str(depth)}.${pick(['startsWith', 'endsWith', 'contains'])}(${str(Math.max(depth - 1, 0))})`;
      case 4: return `${str(depth)}.matches(${quote(pick(PATTERNS))})`;
      case 5: return `${list(depth)}.${pick(['all', 'exists', 'exists_one'])}(x, ${pick(['x.size() > 1', 'x > "m"', 'x.startsWith("src/")', 'x == ""', 'x.matches("^[a-z]")'])})`;
      case 6: return `${stringLiteral()} in ${list(depth)}`;
      case 7: return `has(${pick(['git.tag', 'git.pullRequest', 'payload.sender', 'payload.nope', 'git.pullRequest.title', 'event.time'])})`;
      case 8: return `type(${pick([str(depth), int(depth), double(depth), list(depth)])}) == ${pick(['string', 'int', 'double', 'list', 'uint'])}`;
      case 9: return `timestamp(${quote(pick(TIMES))}) ${comparison()} timestamp(${quote(pick(TIMES))})${chance(0.5) ? ` + duration(${quote(pick(DURATIONS))})` : ''}`;
      case 10: return `timestamp(event.time).${pick(['getHours', 'getMinutes', 'getDayOfWeek', 'getMilliseconds', 'getFullYear'])}(${chance(0.3) ? quote(pick(['UTC', 'Europe/London', '+02:00'])) : ''}) ${comparison()} ${pick(['0', '10', '12', '2024'])}`;
      case 11: return `duration(${quote(pick(DURATIONS))}) ${comparison()} duration(${quote(pick(DURATIONS))})`;
      case 12: return `${pick(['1u', '2u', '18446744073709551615u', `uint(${int(depth)})`])} ${comparison()} ${pick(['1u', '0u', `uint(${quote(pick(['1', '-1', '+1', '18446744073709551616']))})`])}`;
      case 13: return `[1, 2, 3][${pick(['0', '2', '3', '-1', `${int(depth)}`])}] == 2`;
      case 14: return `${bool(Math.max(depth - 1, 0))} ${pick(['&&', '||'])} ${bool(Math.max(depth - 1, 0))}`;
      case 15: return `!(${bool(Math.max(depth - 1, 0))})`;
      default: return `${pick(NUMBER_VARS)} ${comparison()} ${pick(['3', '3.0', '42', '42u', '9007199254740993', '1e-7'])}`;
    }
  };
  return Array.from({ length: count }, () => ({ expr: bool(1 + Math.floor(random() * 2)), vars: pick(CEL_VARIABLE_SETS) }));
}

/** The known gaps listed against cel-go, each its own case. */
export const KNOWN_GAP_CASES: readonly string[] = [
  `'\\U0001F600' > '\\uFF61'`,
  `'a\\U0001F600b'.substring(1, 2) == '\\U0001F600'`,
  `'ÀÉ'.lowerAscii() == 'ÀÉ' && 'àé'.upperAscii() == 'àé'`,
  `-9223372036854775808 / -1 == 0`,
  `-9223372036854775808 % -1 == 0`,
  `int(1e19) > 0`,
  `string(1e-7) == '1e-07'`,
  `timestamp('2024-01-01T00:00:00.123456789Z') > timestamp('2024-01-01T00:00:00.123456788Z')`,
  `[].all(x, x > 0)`,
  `[1, 2, 3][1u] == 2`,
  `'ABC'.matches('(?i)^abc')`,
  `'x'.matches('(?=x)')`,
];
