/**
 * The human message for one (non-union) zod issue, given the value the user wrote. zod's own
 * messages say "Invalid input"; these say what was expected, what was found, and how to fix the
 * common slips (an unquoted number where a string is expected).
 */
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/**
 * `describe` renders the value the user wrote; at a secret field it is describeSecret, which names
 * the value's kind only (the value may be the secret itself).
 */
export function issueMessage(issue: Issue, value: unknown, describe: (value: unknown) => string = describeValue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (value === undefined) return `required (${expected})`;
      const quotable = describe !== describeSecret && issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean');
      const hint = quotable ? ` (quote it: "${String(value)}")` : '';
      return `expected ${expected}, got ${describe(value)}${hint}`;
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const expected = options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
      return value === undefined ? `required: ${expected}` : `expected ${expected}, got ${describe(value)}`;
    }
    case 'invalid_union': {
      // A discriminated union (`sink.type`) whose discriminator is missing or unknown.
      // An option whose discriminator has a default (intake: file) also lists `undefined`: not a value to write.
      const options = ('options' in issue ? (issue.options ?? []) : []).filter((o) => o !== undefined).map((o) => JSON.stringify(o));
      const expected = `one of ${options.join(', ')}`;
      return value === undefined ? `required: ${expected}` : `expected ${expected}, got ${describe(value)}`;
    }
    case 'too_small':
      return boundMessage('at least', issue.origin, issue.minimum, issue.inclusive !== false, value, describe);
    case 'too_big':
      return boundMessage('at most', issue.origin, issue.maximum, issue.inclusive !== false, value, describe);
    case 'invalid_format':
      return formatMessage(issue, value, describe);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}, got ${describe(value)}`;
    default:
      return issue.message;
  }
}

function boundMessage(
  which: 'at least' | 'at most',
  origin: string,
  bound: number | bigint,
  inclusive: boolean,
  value: unknown,
  describe: (value: unknown) => string,
): string {
  const n = Number(bound);
  if (origin === 'string') return n === 1 && which === 'at least' ? 'must not be empty' : `must be ${which} ${n} characters long`;
  if (origin === 'array') return `must list ${which} ${n} item${n === 1 ? '' : 's'}`;
  const op = which === 'at least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `must be ${op} ${n}, got ${describe(value)}`;
}

function formatMessage(issue: Extract<Issue, { code: 'invalid_format' }>, value: unknown, describe: (value: unknown) => string): string {
  const got = `got ${describe(value)}`;
  switch (issue.format) {
    case 'datetime':
      return `expected an RFC 3339 date-time with an offset (e.g. 2025-01-31T03:00:00Z), ${got}`;
    case 'starts_with':
      return `must start with ${JSON.stringify((issue as { prefix?: string }).prefix ?? '')}, ${got}`;
    case 'regex':
      return `must match ${issue.pattern ?? 'the expected pattern'}, ${got}`;
    default:
      return `expected a valid ${issue.format}, ${got}`;
  }
}

/** What the user wrote at a secret field, by kind only: `a string (not shown: a secret field)`. */
export function describeSecret(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value === 'string' ? 'a string' : `a ${typeof value}`} (not shown: a secret field)`;
}

/** A short rendering of what the user wrote: `"abc"`, `number 3`, `a list`, `{name, value}`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object': {
      const keys = Object.keys(value as object);
      return keys.length === 0 ? 'an empty mapping' : `{${keys.length > 6 ? `${keys.slice(0, 6).join(', ')}, …` : keys.join(', ')}}`;
    }
    default:
      return typeof value;
  }
}
