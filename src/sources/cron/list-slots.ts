/**
 * The next slots of one schedule, for people checking it (`runbridge schedule`): each slot in UTC
 * and on the schedule's wall clock, with what the DST rules did on the way — a time croner names
 * that is not a slot (`skipped`: in a spring-forward gap, or the second pass of a repeated hour),
 * and each change of the UTC offset between two entries (`clocksChange`). Slots are exactly the
 * scheduler's (compileSchedule's `rejects`, the window), walked from croner's candidates.
 */
import { Cron } from 'croner';
import { cronPatternOptions } from '../../config/cron-pattern-options.ts';
import type { Schedule } from '../../config/schema.ts';
import { compileSchedule } from './compile-schedule.ts';
import { createWallClock } from './wall-clock.ts';

export type SlotEntry =
  | { readonly kind: 'slot'; readonly at: Date; readonly local: string; readonly offsetMinutes: number }
  | { readonly kind: 'skipped'; readonly at: Date; readonly local: string; readonly offsetMinutes: number; readonly reason: 'nonexistent' | 'repeated' }
  | { readonly kind: 'clocksChange'; readonly fromOffsetMinutes: number; readonly toOffsetMinutes: number };

/** Candidates looked at past the slots asked for, before giving up (a schedule that only falls into DST gaps). */
const MAX_EXTRA_CANDIDATES = 500;

/** Up to `count` slots strictly after `after` (and inside the window), with the DST entries between them. */
export function listSlots(schedule: Schedule, after: Date, count: number): SlotEntry[] {
  const compiled = compileSchedule(schedule);
  const wall = createWallClock(schedule.timezone);
  const { pattern, options } = cronPatternOptions(schedule.cron);
  const cron = new Cron(pattern, { ...options, timezone: schedule.timezone, paused: true });
  const start = schedule.startTime === undefined ? undefined : new Date(schedule.startTime).getTime();
  const end = schedule.endTime === undefined ? undefined : new Date(schedule.endTime).getTime();
  const entries: SlotEntry[] = [];
  let slots = 0;
  let offset: number | undefined;
  let from = start !== undefined && after.getTime() < start ? new Date(start - 1) : after;
  for (let i = 0; slots < count && i < count + MAX_EXTRA_CANDIDATES; i++) {
    const candidate = cron.nextRun(from);
    if (!candidate || (end !== undefined && candidate.getTime() >= end)) break;
    const offsetMinutes = wall.offsetMinutes(candidate);
    if (offset !== undefined && offset !== offsetMinutes) entries.push({ kind: 'clocksChange', fromOffsetMinutes: offset, toOffsetMinutes: offsetMinutes });
    offset = offsetMinutes;
    const local = compiled.localTime(candidate);
    const reason = compiled.rejects(candidate);
    if (reason) entries.push({ kind: 'skipped', at: candidate, local, offsetMinutes, reason });
    else {
      entries.push({ kind: 'slot', at: candidate, local, offsetMinutes });
      slots++;
    }
    from = candidate;
  }
  cron.stop();
  return entries;
}
