import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleSchema } from '../../src/config/schema.ts';
import { createReport } from '../../src/config/report.ts';
import { validateSchedule } from '../../src/config/validate-schedule.ts';
import { compileSchedule } from '../../src/sources/cron/compile-schedule.ts';

const NOW = new Date('2026-01-15T12:00:00Z');
const PATH = 'runConfigurations[0].triggers.schedules[0]';

function check(input: object): { errors: string[]; warnings: string[] } {
  const report = createReport();
  validateSchedule(scheduleSchema.parse(input), PATH, NOW, report);
  const show = (i: { path: string; message: string }): string => `${i.path.slice(PATH.length)}: ${i.message}`;
  return { errors: report.errors.map(show), warnings: report.warnings.map(show) };
}

describe('validateSchedule', () => {
  for (const cron of ['0 3 * * *', '*/15 * * * *', '0 0 29 2 *', '30 0 3 * * 1-5', '@daily', '@weekly', '0 9 * * MON', '1/5 * * * *', '0 */25 * * *', '0 0 */1 * 1', '0 0 ? * sun']) {
    test(`accepts ${cron}`, () => assert.deepEqual(check({ cron, timezone: 'Europe/London' }), { errors: [], warnings: [] }));
  }

  const rejected: [string, object, RegExp][] = [
    ['an impossible date', { cron: '0 0 31 2 *' }, /^\.cron: "0 0 31 2 \*" never fires \(no matching date\)$/],
    ['April 31st', { cron: '0 0 31 4 *' }, /never fires/],
    ['minute 61', { cron: '61 * * * *' }, /^\.cron: invalid cron expression "61 \* \* \* \*": minute "61": end of range \(61\) above maximum \(59\)$/],
    ['@every', { cron: '@every 1h' }, /^\.cron: invalid cron expression "@every 1h": @every is not supported: it counts from the last run/],
    ['L (a croner extension Kubernetes refuses)', { cron: '0 0 L 2 *' }, /day of month "L": "L" is not a number/],
    ['a TZ= prefix', { cron: 'TZ=UTC 0 * * * *' }, /set the schedule's timezone field/],
    ['day of week 7', { cron: '0 0 * * 7' }, /above maximum \(6\)/],
    ['a step of 0', { cron: '*/0 * * * *' }, /^\.cron: invalid cron expression/],
    ['four fields', { cron: '0 3 * *' }, /^\.cron: invalid cron expression/],
    ['seven fields', { cron: '0 0 3 * * * 2030' }, /^\.cron: invalid cron expression/],
    ['words', { cron: 'every day' }, /^\.cron: invalid cron expression/],
    ['an unknown timezone', { cron: '@daily', timezone: 'Europe/Londn' }, /^\.timezone: unknown timezone "Europe\/Londn"/],
    ['endTime before startTime', { cron: '@daily', startTime: '2030-01-02T00:00:00Z', endTime: '2030-01-01T00:00:00Z' }, /^\.endTime: must be after startTime/],
    ['endTime equal to startTime', { cron: '@daily', startTime: '2030-01-01T00:00:00Z', endTime: '2030-01-01T00:00:00Z' }, /^\.endTime: must be after startTime/],
    ['a window without a slot', { cron: '0 3 1 1 *', startTime: '2030-01-02T00:00:00Z', endTime: '2030-12-31T00:00:00Z' }, /^: no "0 3 1 1 \*" slot between startTime/],
  ];
  for (const [name, input, message] of rejected) {
    test(`rejects ${name}`, () => {
      const { errors } = check(input);
      assert.equal(errors.length, 1, errors.join('\n'));
      assert.match(errors[0] ?? '', message);
    });
  }

  test('a window holding only a local time skipped by spring forward has no slot, as the scheduler sees it', () => {
    // 2027-03-28: clocks in Europe/London go from 01:00 to 02:00; 01:30 does not happen that day.
    const window = { cron: '30 1 * * *', timezone: 'Europe/London', startTime: '2027-03-28T00:00:00Z', endTime: '2027-03-28T12:00:00Z' };
    assert.deepEqual(check(window).errors, [
      ': no "30 1 * * *" slot between startTime 2027-03-28T00:00:00Z and endTime 2027-03-28T12:00:00Z (the local times it names there do not exist: clocks go forward in Europe/London)',
    ]);
    assert.equal(compileSchedule(scheduleSchema.parse(window)).next(new Date('2027-03-27T00:00:00Z')), undefined);
    // The day after, 01:30 exists again.
    assert.deepEqual(check({ ...window, endTime: '2027-03-29T12:00:00Z' }).errors, []);
  });

  test('a window holding only the second pass of a repeated hour has no slot', () => {
    // 2027-10-31: 01:30 BST (00:30Z) fires; 01:30 GMT (01:30Z), the second pass, does not.
    const window = { cron: '30 1 * * *', timezone: 'Europe/London', startTime: '2027-10-31T01:00:00Z', endTime: '2027-10-31T12:00:00Z' };
    assert.equal(check(window).errors.length, 1);
    assert.deepEqual(check({ ...window, startTime: '2027-10-31T00:00:00Z' }).errors, []);
  });

  test('a window whose remaining slots are all skipped by spring forward is over', () => {
    const result = check({ cron: '30 1 * * *', timezone: 'Europe/London', endTime: '2026-03-29T12:00:00Z' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    const now = new Date('2026-03-29T00:10:00Z');
    const report = createReport();
    validateSchedule(scheduleSchema.parse({ cron: '30 1 * * *', timezone: 'Europe/London', endTime: '2026-03-29T12:00:00Z' }), PATH, now, report);
    assert.deepEqual(report.warnings.map((w) => w.message), ['the schedule is over: no slot left before endTime 2026-03-29T12:00:00Z']);
  });

  test('a slot exactly at startTime counts', () => {
    assert.deepEqual(check({ cron: '0 3 1 1 *', startTime: '2030-01-01T03:00:00Z', endTime: '2030-01-01T03:00:01Z' }).errors, []);
  });

  test('the timezone decides the slot: 03:00 in Tokyo is not in a UTC window that ends at 00:00', () => {
    const window = { cron: '0 3 1 1 *', startTime: '2030-01-01T00:00:00Z', endTime: '2030-01-01T12:00:00Z' };
    assert.deepEqual(check({ ...window, timezone: 'UTC' }).errors, []);
    assert.equal(check({ ...window, timezone: 'Asia/Tokyo' }).errors.length, 1);
  });

  test('a window that has closed is a warning, not an error', () => {
    const result = check({ cron: '@daily', startTime: '2025-01-01T00:00:00Z', endTime: '2025-02-01T00:00:00Z' });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, ['.endTime: the schedule is over: no slot left before endTime 2025-02-01T00:00:00Z']);
  });

  test('an endTime in the future with slots left is fine', () => {
    assert.deepEqual(check({ cron: '@daily', endTime: '2026-01-20T00:00:00Z' }), { errors: [], warnings: [] });
  });
});
