import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import type { Schedule } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { listSlots, type SlotEntry } from '../sources/cron/list-slots.ts';
import type { Command } from './commands.ts';

const MAX_COUNT = 1000;

export const scheduleCommand: Command = {
  summary: "print the next slots of each schedule, in UTC and local time, with DST skips and repeats marked",
  help: `Usage: runbridge schedule --config FILE [--count N] [--from TIME]

Loads FILE as runbridge would at start (any problem is listed, exit 1), then prints, for every
schedule of every run configuration, its next N slots after TIME: each in UTC and on the
schedule's wall clock with its UTC offset. Exactly the slots the daemon fires, window included.
Marked on the way: where clocks change (DST), and each time croner names that is not a slot —
a local time skipped by spring forward, or the second pass of an hour repeated by fall back.

Options:
  -c, --config FILE   configuration file (required)
  -n, --count N       slots per schedule, 1..${MAX_COUNT} (default 5)
  -f, --from TIME     an ISO-8601 time with an offset, e.g. 2027-03-27T00:00:00Z (default: now)
  -h, --help          this help
`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string', short: 'c' }, count: { type: 'string', short: 'n' }, from: { type: 'string', short: 'f' } },
      strict: true,
    });
    if (!values.config) {
      io.stderr.write('runbridge schedule: --config FILE is required\n');
      return 2;
    }
    const count = values.count === undefined ? 5 : Number(values.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      io.stderr.write(`runbridge schedule: --count must be 1..${MAX_COUNT}, got ${values.count}\n`);
      return 2;
    }
    const from = values.from === undefined ? new Date() : new Date(values.from);
    if (values.from !== undefined && (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(values.from) || Number.isNaN(from.getTime()))) {
      io.stderr.write(`runbridge schedule: --from must be an ISO-8601 time with an offset (2027-03-27T00:00:00Z), got ${values.from}\n`);
      return 2;
    }
    let loaded;
    try {
      loaded = await loadConfig(values.config, { env: io.env });
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`${error.message}\n`);
        return 1;
      }
      throw error;
    }
    let schedules = 0;
    loaded.config.runConfigurations.forEach((rc, index) => {
      rc.triggers.schedules.forEach((schedule, s) => {
        schedules++;
        io.stdout.write(`${rc.namespace}/${rc.name}  runConfigurations[${index}].triggers.schedules[${s}]  ${describeSchedule(schedule)}\n`);
        const entries = listSlots(schedule, from, count);
        for (const entry of entries) io.stdout.write(`  ${formatEntry(entry)}\n`);
        if (!entries.some((e) => e.kind === 'slot')) io.stdout.write(`  no slot after ${from.toISOString()}\n`);
      });
    });
    if (schedules === 0) io.stdout.write(`${values.config}: no schedules\n`);
    return 0;
  },
};

function describeSchedule(schedule: Schedule): string {
  const window = [schedule.startTime && `from ${schedule.startTime}`, schedule.endTime && `until ${schedule.endTime}`].filter(Boolean).join(' ');
  return [JSON.stringify(schedule.cron), schedule.timezone, window, schedule.suspend ? '(suspended: fires nothing until resumed)' : ''].filter(Boolean).join('  ');
}

function formatEntry(entry: SlotEntry): string {
  if (entry.kind === 'clocksChange') {
    const direction = entry.toOffsetMinutes > entry.fromOffsetMinutes ? 'forward' : 'back';
    return `-- clocks go ${direction}: ${formatOffset(entry.fromOffsetMinutes)} → ${formatOffset(entry.toOffsetMinutes)}`;
  }
  const times = `${entry.at.toISOString().replace('.000Z', 'Z')}  ${entry.local} ${formatOffset(entry.offsetMinutes)}`;
  if (entry.kind === 'slot') return times;
  const why =
    entry.reason === 'nonexistent'
      ? 'skipped: the local time it names does not exist that day (clocks go forward)'
      : 'skipped: this local time already happened once (clocks went back); it fires the first time only';
  return `${times}  ${why}`;
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
