import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleSchema } from '../../src/config/schema.ts';
import { compileSchedule } from '../../src/sources/cron/compile-schedule.ts';
import { listSlots } from '../../src/sources/cron/list-slots.ts';

const schedule = (input: object) => scheduleSchema.parse(input);

test('the slots listed are exactly the slots the scheduler finds, across both DST changes of a year', () => {
  for (const cron of ['30 1 * * *', '30 * * * *', '0 2 * * 0', '*/20 0-3 * * *']) {
    const s = schedule({ cron, timezone: 'Europe/London' });
    const compiled = compileSchedule(s);
    for (const from of ['2027-03-27T00:00:00Z', '2027-10-30T00:00:00Z']) {
      const listed = listSlots(s, new Date(from), 40).flatMap((e) => (e.kind === 'slot' ? [e.at.toISOString()] : []));
      const expected: string[] = [];
      for (let at = compiled.next(new Date(from)); at && expected.length < 40; at = compiled.next(at)) expected.push(at.toISOString());
      assert.deepEqual(listed, expected, `${cron} from ${from}`);
    }
  }
});

test('a window holding only a skipped local time lists the skip and no slot', () => {
  const entries = listSlots(schedule({ cron: '30 1 * * *', timezone: 'Europe/London', startTime: '2027-03-28T00:00:00Z', endTime: '2027-03-28T12:00:00Z' }), new Date('2027-01-01T00:00:00Z'), 5);
  assert.deepEqual(entries.map((e) => (e.kind === 'skipped' ? [e.kind, e.reason, e.local] : [e.kind])), [['skipped', 'nonexistent', '2027-03-28 02:00:00']]);
});
