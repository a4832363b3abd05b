import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CronSpecError, parseCronSpec } from '../../src/sources/cron/parse-cron-spec.ts';
import { compileSchedule } from '../../src/sources/cron/compile-schedule.ts';
import { scheduleSchema } from '../../src/config/schema.ts';

test('robfig/cron standard syntax restated as explicit lists', () => {
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ['1/5 * * * *', '1,6,11,16,21,26,31,36,41,46,51,56 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31 1,2,3,4,5,6,7,8,9,10,11,12 0,1,2,3,4,5,6', true],
    ['0 */25 1-10/3 JAN-mar/2 mon,FRI', '0 0 1,4,7,10 1,3 1,5', false],
  ];
  for (const [spec, pattern, domAndDow] of cases) assert.deepEqual(parseCronSpec(spec), { pattern, domAndDow }, spec);
});

test('day of month and day of week: a field starting with * (step 1 at most) leaves the day to the other', () => {
  const mondays = compileSchedule(scheduleSchema.parse({ cron: '0 0 */1 * 1', timezone: 'UTC' }));
  assert.equal(mondays.next(new Date('2026-01-01T00:00:00Z'))?.toISOString(), '2026-01-05T00:00:00.000Z');
  const either = compileSchedule(scheduleSchema.parse({ cron: '0 0 */2 * 1', timezone: 'UTC' }));
  assert.equal(either.next(new Date('2026-01-01T00:00:00Z'))?.toISOString(), '2026-01-03T00:00:00.000Z');
});

test('what robfig refuses is refused, and @every with the reason', () => {
  for (const [spec, reason] of [
    ['@every 1h', /@every is not supported/],
    ['* * * *', /expected 5 fields/],
    ['5-1 * * * *', /beginning of range \(5\) beyond end of range \(1\)/],
    ['*/0 * * * *', /step of range should be a positive number/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['0 0 0 * *', /below minimum \(1\)/],
    ['-1 * * * *', /not a number|negative/],
    ['@reboot', /unrecognized descriptor/],
  ] as const) {
    assert.throws(() => parseCronSpec(spec), (error: unknown) => error instanceof CronSpecError && reason.test(error.message), spec);
  }
});
