/**
 * One schedule: a cron expression croner accepts, in a real IANA timezone, that fires at least
 * once — an impossible date (`0 0 31 2 *`) is rejected, not left to fire never (or, in other
 * tools, in a loop). A window (startTime/endTime) must contain a slot, under the scheduler's own
 * DST rules; a window that has already closed is only a warning, so an old schedule does not stop
 * a restart.
 */
import { Cron } from 'croner';
import type { Schedule } from './schema.ts';
import { cronPatternOptions } from './cron-pattern-options.ts';
import type { Report } from './report.ts';
import { compileSchedule, type CompiledSchedule } from '../sources/cron/compile-schedule.ts';

export function validateSchedule(schedule: Schedule, path: string, now: Date, report: Report): void {
  const timezoneOk = isTimeZone(schedule.timezone);
  const timezone = timezoneOk ? schedule.timezone : 'UTC';
  if (!timezoneOk) {
    report.error(`${path}.timezone`, `unknown timezone ${JSON.stringify(schedule.timezone)}: use an IANA name such as Europe/London or UTC`);
  }
  const start = schedule.startTime === undefined ? undefined : new Date(schedule.startTime);
  const end = schedule.endTime === undefined ? undefined : new Date(schedule.endTime);
  const windowOk = !(start && end && start >= end);
  if (!windowOk) report.error(`${path}.endTime`, `must be after startTime (${schedule.startTime})`);
  let cron: Cron;
  try {
    const { pattern, options } = cronPatternOptions(schedule.cron);
    cron = new Cron(pattern, { ...options, timezone, paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    report.error(`${path}.cron`, `invalid cron expression ${JSON.stringify(schedule.cron)}: ${reason}`);
    return;
  }
  try {
    const first = cron.nextRun(start ? new Date(start.getTime() - 1) : now);
    if (!first) report.error(`${path}.cron`, `${JSON.stringify(schedule.cron)} never fires (no matching date)`);
    else if (end && windowOk) checkWindow(compileSchedule({ ...schedule, timezone }), path, { first, start, end, now }, report);
  } finally {
    cron.stop();
  }
}

/**
 * Slots as the scheduler finds them (compileSchedule): a local time skipped by spring forward, or
 * the second pass of a repeated hour, is not a slot even though croner names an instant for it.
 */
function checkWindow(
  compiled: CompiledSchedule,
  path: string,
  at: { first: Date; start: Date | undefined; end: Date; now: Date },
  report: Report,
): void {
  const { schedule } = compiled;
  if (at.start && !compiled.next(new Date(at.start.getTime() - 1))) {
    const skipped = at.first < at.end && compiled.rejects(at.first) === 'nonexistent';
    const why = skipped ? ` (the local times it names there do not exist: clocks go forward in ${schedule.timezone})` : '';
    report.error(path, `no ${JSON.stringify(schedule.cron)} slot between startTime ${schedule.startTime} and endTime ${schedule.endTime}${why}`);
    return;
  }
  if (!compiled.next(at.now)) {
    report.warning(`${path}.endTime`, `the schedule is over: no slot left before endTime ${schedule.endTime}`);
  }
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}
