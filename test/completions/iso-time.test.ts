import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalUtc, isoTime } from '../../src/sources/completions/iso-time.ts';

/** What Date makes of the text: the reference the shortcut must agree with. */
function viaDate(text: string): string | undefined {
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

test('a time already in toISOString form is taken as it is, and agrees with Date', () => {
  for (const text of ['2026-01-15T08:53:20.500Z', '2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']) {
    assert.equal(canonicalUtc(text), text);
    assert.equal(isoTime(text), viaDate(text));
  }
  assert.equal(canonicalUtc('2025-03-01T02:41:12Z'), '2025-03-01T02:41:12.000Z', 'without milliseconds (KFP-Operator)');
  assert.equal(isoTime('2025-03-01T02:41:12Z'), viaDate('2025-03-01T02:41:12Z'));
});

test('out-of-range fields and other forms are left to Date (normalized or refused as Date does)', () => {
  for (const text of [
    '2026-02-29T00:00:00.000Z', // not a leap year: Date rolls it over to March
    '1900-02-29T00:00:00.000Z',
    '2026-04-31T10:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-01-01T23:59:60.000Z',
    '2026-13-01T00:00:00.000Z',
    '2026-00-10T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2026-01-15T08:53:20.5Z',
    '2026-01-15T08:53:20+00:00',
    '2026-01-15T08:53:20.500+01:00',
    '2026-01-15 08:53:20.500Z',
    '2026-1a-15T08:53:20.500Z',
    '2026-01-15T08:53:20.50aZ',
    '+02026-01-15T08:53:20.500Z',
    'Thu, 15 Jan 2026 08:53:20 GMT',
    'not a time',
    '',
  ]) {
    assert.equal(isoTime(text), viaDate(text), text);
    if (canonicalUtc(text) !== undefined) assert.equal(canonicalUtc(text), viaDate(text), text);
  }
  assert.equal(canonicalUtc('2026-02-29T00:00:00.000Z'), undefined);
  assert.equal(canonicalUtc('2026-01-01T24:00:00.000Z'), undefined);
  assert.equal(isoTime(undefined), undefined);
});

test('every day of four centuries agrees with Date', () => {
  const start = Date.parse('1899-12-25T00:00:00.000Z');
  for (let day = 0; day < 146_100; day += 1) {
    const at = start + day * 86_400_000 + ((day * 7_919_777) % 86_400_000);
    const text = new Date(at).toISOString();
    assert.equal(canonicalUtc(text), text);
    assert.equal(canonicalUtc(text.slice(0, 19) + 'Z'), viaDate(text.slice(0, 19) + 'Z'));
  }
});
