import assert from 'node:assert/strict';
import { test } from 'node:test';

import { scheduleSchema } from '../../src/config/schema.ts';
import { compileSchedule } from '../../src/sources/cron/compile-schedule.ts';
import { pick, referenceBinary, runReference, seededRandom } from './run-reference.ts';

/**
 * Schedules against robfig/cron v3 as Kubernetes CronJobs use it (test/servers/cron-reference), on
 * a seeded corpus: the same expressions accepted and refused, and the same next slots. Slots that
 * differ only around a DST change are the documented difference of docs/scheduling.md.
 */
const CASES = 4_000;
const SLOTS = 6;
const binary = referenceBinary('RUNBRIDGE_CRON_REFERENCE_BIN');
const TIMEZONES = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata'];
const FROM = ['2026-01-01T00:00:00Z', '2026-03-28T23:00:00Z', '2026-10-24T23:30:00Z', '2026-11-01T04:00:00Z', '2028-02-28T12:00:00Z'];
const ATOMS = ['*', '?', '0', '1', '5', '7', '12', '23', '31', '59', '60', '1-5', '5-1', '*/1', '*/2', '*/5', '*/25', '*/0', '1/5', '3/40', '1-10/3', '2-3/1', 'jan', 'MON-fri', 'sun', 'Dec', '-1', '+5', '05', 'L', '1-2-3', '1/2/3', ''];
const DESCRIPTORS = ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h', '@reboot', 'TZ=UTC 0 * * * *'];

function generateSpec(random: () => number): string {
  if (random() < 0.05) return pick(random, DESCRIPTORS);
  const count = random() < 0.05 ? pick(random, [4, 6]) : 5;
  return Array.from({ length: count }, () => {
    const parts = random() < 0.2 ? 2 : 1;
    return Array.from({ length: parts }, () => pick(random, ATOMS)).join(',');
  }).join(' ');
}

function ours(spec: string, timezone: string, from: string): { error: string } | { next: string[] } {
  let schedule;
  try {
    schedule = compileSchedule(scheduleSchema.parse({ cron: spec, timezone }));
  } catch (error) {
    return { error: (error as Error).message };
  }
  const next: string[] = [];
  let at: Date | undefined = new Date(from);
  while (next.length < SLOTS && (at = schedule.next(at))) next.push(at.toISOString().replace('.000Z', 'Z'));
  return { next };
}

/** True when the UTC offset of `timezone` changes within 26 hours of `instant`. */
function nearDstChange(timezone: string, instant: string): boolean {
  const offset = (ms: number): string => new Intl.DateTimeFormat('en', { timeZone: timezone, timeZoneName: 'longOffset' }).format(ms);
  const at = new Date(instant).getTime();
  return offset(at - 26 * 3_600_000) !== offset(at + 26 * 3_600_000);
}

test('cron expressions agree with robfig/cron v3 (Kubernetes CronJob)', async () => {
  assert.ok(binary, 'RUNBRIDGE_CRON_REFERENCE_BIN is not set: run the tests with npm test, which builds the reference and sets it');
  const random = seededRandom(15);
  const cases = Array.from({ length: CASES }, () => ({ spec: generateSpec(random), timezone: pick(random, TIMEZONES), from: pick(random, FROM), count: SLOTS }));
  const answers = await runReference<{ error?: string; next?: string[] }>(binary as string, cases);
  let agree = 0;
  let dst = 0;
  let accepted = 0;
  const disagreements: string[] = [];
  for (const [i, request] of cases.entries()) {
    const reference = answers[i] as { error?: string; next?: string[] };
    const mine = ours(request.spec, request.timezone, request.from);
    if (reference.error === undefined) accepted += 1;
    const theirs = reference.next ?? [];
    // Refused by both; or accepted by robfig but never firing, which runbridge refuses at load.
    if ('error' in mine && (reference.error !== undefined || theirs.length === 0)) {
      agree += 1;
      continue;
    }
    if ('error' in mine && (request.spec.startsWith('@every') || request.spec.startsWith('TZ='))) continue;
    if ('next' in mine && reference.error === undefined && JSON.stringify(mine.next) === JSON.stringify(theirs)) {
      agree += 1;
      continue;
    }
    const firstDifference = 'next' in mine ? mine.next.findIndex((slot, k) => slot !== theirs[k]) : -1;
    const around = 'next' in mine ? (mine.next[firstDifference] ?? theirs[firstDifference]) : undefined;
    if (around !== undefined && nearDstChange(request.timezone, around)) {
      dst += 1;
      continue;
    }
    if (disagreements.length < 15) disagreements.push(`${JSON.stringify(request)}\n    runbridge: ${JSON.stringify(mine)}\n    robfig:    ${JSON.stringify(reference)}`);
  }
  const refusals = cases.filter(({ spec }) => spec.startsWith('@every') || spec.startsWith('TZ=')).length;
  console.log(`cron: ${agree}/${CASES} agree (${accepted} accepted by robfig), ${dst} differ only at a DST change, ${refusals} @every/TZ= refused on purpose (docs/scheduling.md), ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, []);
});
