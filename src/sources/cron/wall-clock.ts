/**
 * Reads instants as the clock on the wall of one IANA timezone shows them, to the second. Used to
 * apply the two DST rules croner leaves to us: a slot whose local time does not exist is not a
 * slot, and a local time that happens twice is a slot only the first time.
 */
export interface WallClock {
  /** `YYYY-MM-DD HH:MM:SS` in the timezone. */
  read(instant: Date): string;
  /** Minutes the timezone is ahead of UTC at `instant`. */
  offsetMinutes(instant: Date): number;
  /** True when the same local time already happened at an earlier instant (the second pass of a DST fall back). */
  isRepeated(instant: Date): boolean;
}

/** No DST transition moves clocks by more than this, and none come closer together. */
const WINDOW_MS = 3 * 60 * 60 * 1000;

export function createWallClock(timeZone: string): WallClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const fields = (instant: Date): Record<string, number> => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    return parts;
  };
  const localMs = (instant: Date): number => {
    const f = fields(instant);
    return Date.UTC(f['year'] ?? 0, (f['month'] ?? 1) - 1, f['day'] ?? 1, f['hour'] ?? 0, f['minute'] ?? 0, f['second'] ?? 0);
  };
  const offsetMinutes = (instant: Date): number => Math.round((localMs(instant) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  return {
    read: (instant) => new Date(localMs(instant)).toISOString().slice(0, 19).replace('T', ' '),
    offsetMinutes,
    isRepeated(instant) {
      // Clocks went back within the window before `instant` when the offset then was larger; the
      // earlier pass through this local time is exactly that difference earlier.
      const before = offsetMinutes(new Date(instant.getTime() - WINDOW_MS));
      const shift = before - offsetMinutes(instant);
      if (shift <= 0) return false;
      const earlier = new Date(instant.getTime() - shift * 60_000);
      return localMs(earlier) === localMs(instant);
    },
  };
}
