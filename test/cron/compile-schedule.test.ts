// Slots across DST changes, windows and nicknames. Dates are 2026: Europe/London springs forward
// on 29 March at 01:00 UTC (01:00 GMT → 02:00 BST) and falls back on 25 October at 01:00 UTC
// (02:00 BST → 01:00 GMT); America/New_York on 8 March at 07:00 UTC (02:00 EST → 03:00 EDT) and
// on 1 November at 06:00 UTC (02:00 EDT → 01:00 EST).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cron } from 'croner';
import { scheduleSchema } from '../../src/config/schema.ts';
import { cronPatternOptions } from '../../src/config/cron-pattern-options.ts';
import { compileSchedule, type CompiledSchedule } from '../../src/sources/cron/compile-schedule.ts';

function compile(input: object): CompiledSchedule {
  return compileSchedule(scheduleSchema.parse(input));
}

/** The slots strictly after `from`, `count` of them, as `UTC (local)`. */
function slotsAfter(schedule: CompiledSchedule, from: string, count: number): string[] {
  const out: string[] = [];
  let at: Date | undefined = new Date(from);
  while (out.length < count && (at = schedule.next(at))) out.push(`${at.toISOString()} (${schedule.localTime(at)})`);
  return out;
}

/** The same slots found walking backwards from `until` with latest(). */
function slotsBefore(schedule: CompiledSchedule, until: string, after: string): string[] {
  const out: string[] = [];
  let at: Date | undefined = new Date(until);
  while ((at = schedule.latest(at, new Date(after)))) {
    out.unshift(`${at.toISOString()} (${schedule.localTime(at)})`);
    at = new Date(at.getTime() - 1);
  }
  return out;
}

function croner(cron: string, timezone: string): Cron {
  const { pattern, options } = cronPatternOptions(cron);
  return new Cron(pattern, { ...options, timezone, paused: true });
}

describe('DST spring forward: a local time that does not exist is skipped', () => {
  test('Europe/London 01:30 daily: no slot on 29 March', () => {
    const schedule = compile({ cron: '30 1 * * *', timezone: 'Europe/London' });
    const expected = [
      '2026-03-27T01:30:00.000Z (2026-03-27 01:30:00)',
      '2026-03-28T01:30:00.000Z (2026-03-28 01:30:00)',
      '2026-03-30T00:30:00.000Z (2026-03-30 01:30:00)',
    ];
    assert.deepEqual(slotsAfter(schedule, '2026-03-27T00:00:00Z', 3), expected);
    assert.deepEqual(slotsBefore(schedule, '2026-03-30T12:00:00Z', '2026-03-27T00:00:00Z'), expected);
  });

  test('croner itself moves the nonexistent 01:30 to 02:00 BST; we reject that candidate', () => {
    const candidate = croner('30 1 * * *', 'Europe/London').nextRun(new Date('2026-03-28T12:00:00Z'));
    assert.equal(candidate?.toISOString(), '2026-03-29T01:00:00.000Z');
    assert.equal(compile({ cron: '30 1 * * *', timezone: 'Europe/London' }).rejects(candidate!), 'nonexistent');
  });

  test('America/New_York 02:30 daily: no slot on 8 March', () => {
    const schedule = compile({ cron: '30 2 * * *', timezone: 'America/New_York' });
    const expected = [
      '2026-03-07T07:30:00.000Z (2026-03-07 02:30:00)',
      '2026-03-09T06:30:00.000Z (2026-03-09 02:30:00)',
      '2026-03-10T06:30:00.000Z (2026-03-10 02:30:00)',
    ];
    assert.deepEqual(slotsAfter(schedule, '2026-03-07T00:00:00Z', 3), expected);
    assert.deepEqual(slotsBefore(schedule, '2026-03-10T12:00:00Z', '2026-03-07T00:00:00Z'), expected);
    const candidate = croner('30 2 * * *', 'America/New_York').nextRun(new Date('2026-03-07T12:00:00Z'));
    assert.equal(candidate?.toISOString(), '2026-03-08T07:00:00.000Z', 'croner fires 03:00 EDT for the missing 02:30');
  });

  test('an interval schedule simply has no slots inside the gap', () => {
    const schedule = compile({ cron: '*/30 * * * *', timezone: 'Europe/London' });
    assert.deepEqual(slotsAfter(schedule, '2026-03-29T00:00:00Z', 3), [
      '2026-03-29T00:30:00.000Z (2026-03-29 00:30:00)',
      '2026-03-29T01:00:00.000Z (2026-03-29 02:00:00)',
      '2026-03-29T01:30:00.000Z (2026-03-29 02:30:00)',
    ]);
  });

  test('a window whose only candidate falls into the gap has no slot at all', () => {
    // 01:30 on 29 March 2026 does not exist in London; the window holds no other candidate.
    const schedule = compile({ cron: '30 1 29 3 *', timezone: 'Europe/London', startTime: '2026-03-28T00:00:00Z', endTime: '2026-03-30T00:00:00Z' });
    assert.equal(schedule.next(new Date('2026-01-01T00:00:00Z')), undefined);
    assert.equal(schedule.latest(new Date('2026-03-30T00:00:00Z'), new Date('2026-01-01T00:00:00Z')), undefined);
  });
});

describe('DST fall back: a repeated local time fires once, the first time', () => {
  test('Europe/London every 30 minutes: 01:00 and 01:30 happen twice, fire once', () => {
    const schedule = compile({ cron: '*/30 * * * *', timezone: 'Europe/London' });
    const expected = [
      '2026-10-25T00:00:00.000Z (2026-10-25 01:00:00)',
      '2026-10-25T00:30:00.000Z (2026-10-25 01:30:00)',
      '2026-10-25T02:00:00.000Z (2026-10-25 02:00:00)',
      '2026-10-25T02:30:00.000Z (2026-10-25 02:30:00)',
    ];
    assert.deepEqual(slotsAfter(schedule, '2026-10-24T23:59:00Z', 4), expected);
    assert.deepEqual(slotsBefore(schedule, '2026-10-25T02:45:00Z', '2026-10-24T23:59:00Z'), expected);
  });

  test('croner fires interval schedules on both passes; we reject the second', () => {
    const cron = croner('*/30 * * * *', 'Europe/London');
    const candidates = cron.nextRuns(4, new Date('2026-10-24T23:59:00Z')).map((d) => d.toISOString());
    assert.deepEqual(candidates, ['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T01:30:00.000Z']);
    const schedule = compile({ cron: '*/30 * * * *', timezone: 'Europe/London' });
    assert.deepEqual(
      candidates.map((c) => schedule.rejects(new Date(c))),
      [undefined, undefined, 'repeated', 'repeated'],
    );
  });

  test('America/New_York hourly: 01:00 fires at 01:00 EDT only', () => {
    const schedule = compile({ cron: '0 * * * *', timezone: 'America/New_York' });
    assert.deepEqual(slotsAfter(schedule, '2026-11-01T04:30:00Z', 3), [
      '2026-11-01T05:00:00.000Z (2026-11-01 01:00:00)',
      '2026-11-01T07:00:00.000Z (2026-11-01 02:00:00)',
      '2026-11-01T08:00:00.000Z (2026-11-01 03:00:00)',
    ]);
  });

  test('fixed times in the repeated hour fire once (London 01:30, New York 01:30)', () => {
    assert.deepEqual(slotsAfter(compile({ cron: '30 1 * * *', timezone: 'Europe/London' }), '2026-10-24T12:00:00Z', 2), [
      '2026-10-25T00:30:00.000Z (2026-10-25 01:30:00)',
      '2026-10-26T01:30:00.000Z (2026-10-26 01:30:00)',
    ]);
    assert.deepEqual(slotsAfter(compile({ cron: '30 1 * * *', timezone: 'America/New_York' }), '2026-10-31T12:00:00Z', 2), [
      '2026-11-01T05:30:00.000Z (2026-11-01 01:30:00)',
      '2026-11-02T06:30:00.000Z (2026-11-02 01:30:00)',
    ]);
  });

  test('UTC has no DST: every slot is a slot', () => {
    const schedule = compile({ cron: '*/30 * * * *' });
    assert.equal(slotsAfter(schedule, '2026-10-25T00:00:00Z', 6).length, 6);
    assert.equal(schedule.rejects(new Date('2026-10-25T01:00:00Z')), undefined);
  });
});

describe('window, syntax', () => {
  test('startTime is inclusive, endTime exclusive', () => {
    const schedule = compile({ cron: '0 * * * *', startTime: '2026-01-01T03:00:00Z', endTime: '2026-01-01T06:00:00Z' });
    assert.deepEqual(slotsAfter(schedule, '2025-12-31T00:00:00Z', 10), [
      '2026-01-01T03:00:00.000Z (2026-01-01 03:00:00)',
      '2026-01-01T04:00:00.000Z (2026-01-01 04:00:00)',
      '2026-01-01T05:00:00.000Z (2026-01-01 05:00:00)',
    ]);
    assert.equal(schedule.latest(new Date('2026-01-01T02:59:59Z')), undefined, 'nothing before startTime');
    assert.equal(schedule.latest(new Date('2026-02-01T00:00:00Z'))?.toISOString(), '2026-01-01T05:00:00.000Z', 'the last slot before endTime');
    assert.equal(schedule.next(new Date('2026-01-01T05:00:00Z')), undefined, 'nothing at or after endTime');
  });

  const nicknames: [string, string][] = [
    ['@hourly', '2026-01-02T04:00:00.000Z'],
    ['@daily', '2026-01-03T00:00:00.000Z'],
    ['@weekly', '2026-01-04T00:00:00.000Z'],
    ['@monthly', '2026-02-01T00:00:00.000Z'],
    ['*/10 * * * * *', '2026-01-02T03:04:10.000Z'],
    ['5 3 * * *', '2026-01-02T03:05:00.000Z'],
  ];
  for (const [cron, next] of nicknames) {
    test(`${cron} next after 2026-01-02T03:04:05Z is ${next}`, () => {
      assert.equal(compile({ cron }).next(new Date('2026-01-02T03:04:05Z'))?.toISOString(), next);
    });
  }

  test('latest() includes a slot exactly at the reference, next() excludes it', () => {
    const schedule = compile({ cron: '0 3 * * *' });
    const slot = new Date('2026-01-02T03:00:00Z');
    assert.equal(schedule.latest(slot)?.toISOString(), slot.toISOString());
    assert.equal(schedule.latest(slot, slot), undefined, 'nothing after the slot itself');
    assert.equal(schedule.next(slot)?.toISOString(), '2026-01-03T03:00:00.000Z');
  });

  test('latest() over a year of every-minute slots is one lookup, not a walk', () => {
    const schedule = compile({ cron: '* * * * *' });
    const started = performance.now();
    assert.equal(schedule.latest(new Date('2027-01-01T00:00:30Z'), new Date('2026-01-01T00:00:00Z'))?.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.ok(performance.now() - started < 500);
  });
});
