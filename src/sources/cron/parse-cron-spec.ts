/**
 * Reads a cron expression the way Kubernetes CronJobs do — robfig/cron v3's standard parser
 * (`cron.ParseStandard`) — and restates it for croner, which computes the slots: every field becomes
 * an explicit list of values, so croner never has to agree with robfig on syntax.
 *
 * - 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first (a runbridge
 *   extension), or a descriptor (`@hourly`, `@daily`/`@midnight`, `@weekly`, `@monthly`,
 *   `@yearly`/`@annually`);
 * - `*` or `?`, `N`, `N-M`, names (`jan`, `MON`), `,` lists, and `/S` steps on any of them: a step on
 *   a single value runs to the end of the range (`1/5` = `1-59/5`), and a step may exceed the range
 *   (`0 *\/25 * * *` is midnight only);
 * - day of month and day of week: when either field starts with `*` or `?` (and has no step above 1)
 *   a day must match both, that is the other field alone; otherwise a day matching either fires.
 *
 * Not accepted, with the reason: `@every <duration>` (robfig counts it from the job's last run, a
 * moment runbridge does not share across restarts and replicas) and a `TZ=` prefix (the schedule's
 * `timezone` field says it).
 */
export interface CronSpec {
  /** The expression croner runs: explicit value lists. */
  readonly pattern: string;
  /** True when day of month and day of week must both match (one of them started with `*`). */
  readonly domAndDow: boolean;
}

export class CronSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronSpecError';
  }
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SECONDS: Bounds = { min: 0, max: 59 };
const FIELDS: readonly (readonly [string, Bounds])[] = [
  ['minute', { min: 0, max: 59 }],
  ['hour', { min: 0, max: 23 }],
  ['day of month', { min: 1, max: 31 }],
  ['month', { min: 1, max: 12, names: ['', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] }],
  ['day of week', { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] }],
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export function parseCronSpec(spec: string): CronSpec {
  if (spec === '') throw new CronSpecError('empty expression');
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    throw new CronSpecError('a TZ= prefix is not accepted (Kubernetes refuses it too): set the schedule\'s timezone field');
  }
  if (spec.startsWith('@every')) {
    throw new CronSpecError(
      '@every is not supported: it counts from the last run of one process, which restarts and leader changes lose; use fixed times such as "0 * * * *" (hourly) or "*/15 * * * *"',
    );
  }
  if (spec.startsWith('@')) {
    const standard = DESCRIPTORS[spec];
    if (standard === undefined) throw new CronSpecError(`unrecognized descriptor ${JSON.stringify(spec)} (known: ${Object.keys(DESCRIPTORS).join(', ')})`);
    return parseCronSpec(standard);
  }
  const fields = spec.split(/[ \t\n\r\v\f]+/).filter((field) => field !== '');
  if (fields.length !== 5 && fields.length !== 6) throw new CronSpecError(`expected 5 fields (or 6 with seconds first), found ${fields.length}`);
  const seconds = fields.length === 6 ? [parseField(fields[0] as string, 'second', SECONDS).values] : [];
  const parsed = fields.slice(fields.length - 5).map((field, i) => parseField(field, ...(FIELDS[i] as readonly [string, Bounds])));
  const [dom, dow] = [parsed[2], parsed[4]] as const;
  return {
    pattern: [...seconds, ...parsed.map((field) => field.values)].join(' '),
    domAndDow: (dom?.star ?? false) || (dow?.star ?? false),
  };
}

/** getField / getRange: the values of one field, and whether it counts as a star. */
function parseField(field: string, name: string, bounds: Bounds): { values: string; star: boolean } {
  const values = new Set<number>();
  let star = false;
  // strings.FieldsFunc: empty list elements (`1,,2`, `5,`) are dropped.
  for (const range of field.split(',').filter((part) => part !== '')) {
    const part = parseRange(range, name, bounds);
    for (const value of part.values) values.add(value);
    star ||= part.star;
  }
  if (values.size === 0) throw new CronSpecError(`${name} ${JSON.stringify(field)} has no values, so the schedule never fires`);
  return { values: [...values].sort((a, b) => a - b).join(','), star };
}

function parseRange(expression: string, name: string, bounds: Bounds): { values: number[]; star: boolean } {
  const rangeAndStep = expression.split('/');
  const lowAndHigh = (rangeAndStep[0] as string).split('-');
  const fail = (reason: string): never => {
    throw new CronSpecError(`${name} ${JSON.stringify(expression)}: ${reason}`);
  };
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    [start, end, star] = [bounds.min, bounds.max, true];
  } else {
    if (lowAndHigh.length > 2) fail('too many hyphens');
    start = parseNumberOrName(lowAndHigh[0] as string, bounds, fail);
    end = lowAndHigh.length === 2 ? parseNumberOrName(lowAndHigh[1] as string, bounds, fail) : start;
  }
  if (rangeAndStep.length > 2) fail('too many slashes');
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = parseNumber(rangeAndStep[1] as string, fail);
    if (lowAndHigh.length === 1) end = bounds.max;
    if (step > 1) star = false;
  }
  if (start < bounds.min) fail(`beginning of range (${start}) below minimum (${bounds.min})`);
  if (end > bounds.max) fail(`end of range (${end}) above maximum (${bounds.max})`);
  if (start > end) fail(`beginning of range (${start}) beyond end of range (${end})`);
  if (step === 0) fail('step of range should be a positive number');
  const values: number[] = [];
  for (let value = start; value <= end; value += step) values.push(value);
  return { values, star };
}

function parseNumberOrName(text: string, bounds: Bounds, fail: (reason: string) => never): number {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  return named > 0 || (named === 0 && bounds.names?.[0] !== '') ? named : parseNumber(text, fail);
}

/** strconv.Atoi, then robfig's refusal of negative numbers. */
function parseNumber(text: string, fail: (reason: string) => never): number {
  if (!/^[+-]?[0-9]+$/.test(text)) return fail(`${JSON.stringify(text)} is not a number`);
  const value = Number(text);
  if (!Number.isSafeInteger(value) || Math.abs(value) > 2 ** 63) return fail(`${JSON.stringify(text)} is out of range`);
  if (value < 0) return fail(`negative number (${value}) not allowed`);
  return value;
}
