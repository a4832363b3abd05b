/**
 * Times from completion messages as ISO-8601 UTC, the form Date's toISOString gives. A time
 * already in that form (`2026-01-15T08:53:20.500Z`, or the same without milliseconds, as
 * KFP-Operator sends it) with every field in range is taken as it is, without parsing and printing
 * it again; anything else goes through Date.
 */

/** The time as ISO-8601 UTC, parsed once; undefined when absent or not a time. */
export function isoTime(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const canonical = canonicalUtc(text);
  if (canonical !== undefined) return canonical;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * An RFC 3339 timestamp (a date, `T`, a time, an offset) as ISO-8601 UTC; undefined for anything
 * else, including text Date reads but RFC 3339 does not allow (`March 1, 2025`, `yesterday` never
 * parses). The rule for the CloudEvent `time` and for a completion's `runEndTime` alike.
 */
export function rfc3339Time(text: string): string | undefined {
  const canonical = canonicalUtc(text);
  if (canonical !== undefined) return canonical;
  const at = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.sss]Z` with a real date (proleptic Gregorian, as Date counts) and an
 * hour, minute and second in range: exactly what toISOString would print for it (milliseconds
 * added when absent); undefined for anything else.
 */
export function canonicalUtc(text: string): string | undefined {
  const length = text.length;
  if (length !== 20 && length !== 24) return undefined;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':' || text[length - 1] !== 'Z') return undefined;
  if (length === 24 && (text[19] !== '.' || digits(text, 20, 3) < 0)) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  return length === 24 ? text : `${text.slice(0, 19)}.000Z`;
}

/** The number the `count` decimal digits at `start` spell, or -1 when one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS[month - 1]!;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}
