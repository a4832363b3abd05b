import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoClock } from '../../src/events/iso-clock.ts';

test('isoClock reads the clock every time and gives its ISO text, made once per millisecond', () => {
  let ms = Date.parse('2026-03-01T10:00:00.123Z');
  let reads = 0;
  const now = isoClock(() => (reads++, new Date(ms)));
  assert.equal(now(), '2026-03-01T10:00:00.123Z');
  assert.equal(now(), '2026-03-01T10:00:00.123Z');
  ms += 1;
  assert.equal(now(), '2026-03-01T10:00:00.124Z');
  ms -= 86_400_000;
  assert.equal(now(), '2026-02-28T10:00:00.124Z');
  assert.equal(reads, 4);
});

test('isoClock throws for an invalid date, as toISOString does', () => {
  const now = isoClock(() => new Date(Number.NaN));
  assert.throws(() => now(), RangeError);
  assert.throws(() => now(), RangeError);
});
