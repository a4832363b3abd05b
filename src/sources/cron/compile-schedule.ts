/**
 * A schedule's slots, computed by croner (never by a cron parser of our own) with the rules
 * runbridge promises on top:
 *
 * - the window: a slot is at or after `startTime` and before `endTime`;
 * - DST spring forward: a local time that does not exist is skipped. croner moves a fixed-time
 *   job (`30 2 * * *`) to the first valid time after the gap instead; such a slot no longer
 *   matches the expression at its own local time, and is dropped here;
 * - DST fall back: a local time that happens twice fires once, the first time. croner already
 *   does so for fixed-time jobs but fires interval jobs (`0 * * * *`) on both passes; the second
 *   pass is dropped here.
 *
 * Slots are whole seconds, in UTC. Nothing here iterates over missed slots: `latest` looks back
 * from a point in time, so a long downtime costs one lookup, not one per missed slot.
 */
import { Cron } from 'croner';
import { cronPatternOptions } from '../../config/cron-pattern-options.ts';
import type { Schedule } from '../../config/schema.ts';
import { createWallClock } from './wall-clock.ts';

export interface CompiledSchedule {
  readonly schedule: Schedule;
  /** The first slot strictly after `after`; undefined when there is none (window closed, never fires). */
  next(after: Date): Date | undefined;
  /** The latest slot at or before `atOrBefore` and strictly after `after` (when given). */
  latest(atOrBefore: Date, after?: Date): Date | undefined;
  /** Why croner's candidate is not a slot: `nonexistent` (in a DST gap), `repeated` (second pass), or undefined. */
  rejects(candidate: Date): 'nonexistent' | 'repeated' | undefined;
  /** The slot as the schedule's timezone shows it (`2026-03-29 03:00:00`), for logs. */
  localTime(slot: Date): string;
}

/** Candidates looked at before giving up on finding a real slot (a schedule that only ever falls into a DST gap). */
const MAX_CANDIDATES = 500;

export function compileSchedule(schedule: Schedule): CompiledSchedule {
  const { pattern, options } = cronPatternOptions(schedule.cron);
  const cron = new Cron(pattern, { ...options, timezone: schedule.timezone, paused: true });
  const wall = createWallClock(schedule.timezone);
  const start = schedule.startTime === undefined ? undefined : new Date(schedule.startTime).getTime();
  const end = schedule.endTime === undefined ? undefined : new Date(schedule.endTime).getTime();

  const rejects = (candidate: Date): 'nonexistent' | 'repeated' | undefined => {
    if (!cron.match(candidate)) return 'nonexistent';
    if (wall.isRepeated(candidate)) return 'repeated';
    return undefined;
  };

  return {
    schedule,
    rejects,
    localTime: (slot) => wall.read(slot),
    next(after) {
      let from = start !== undefined && after.getTime() < start ? new Date(start - 1) : after;
      for (let i = 0; i < MAX_CANDIDATES; i++) {
        const candidate = cron.nextRun(from);
        if (!candidate || (end !== undefined && candidate.getTime() >= end)) return undefined;
        if (!rejects(candidate)) return candidate;
        from = candidate;
      }
      return undefined;
    },
    latest(atOrBefore, after) {
      // previousRuns() returns runs strictly before its reference.
      let before = new Date(Math.min(atOrBefore.getTime() + 1, end ?? Infinity));
      const floor = Math.max(after?.getTime() ?? -Infinity, start === undefined ? -Infinity : start - 1);
      for (let i = 0; i < MAX_CANDIDATES; i++) {
        const candidate = cron.previousRuns(1, before)[0];
        if (!candidate || candidate.getTime() <= floor) return undefined;
        if (!rejects(candidate)) return candidate;
        before = candidate;
      }
      return undefined;
    },
  };
}
