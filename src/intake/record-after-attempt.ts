/**
 * An event's record after one attempt: done; dead (a failure no retry fixes, or a passing one that
 * outlived the intake's maximum age); or still pending, with when to try next (retry-schedule.ts).
 * `result` undefined: processing threw, which counts as a passing failure.
 */
import type { AttemptResult } from './attempt-result.ts';
import type { IntakeRecord } from './intake-record.ts';
import { nextAttempt, type RetryPolicy } from './retry-schedule.ts';

export function recordAfterAttempt<Answer>(record: IntakeRecord, result: AttemptResult<Answer> | undefined, now: Date, policy: RetryPolicy): IntakeRecord {
  const attempts = record.attempts + 1;
  const finishedAt = now.toISOString();
  if (result?.result === 'done') return { id: record.id, kind: record.kind, state: 'done', acceptedAt: record.acceptedAt, attempts, finishedAt };
  if (result?.result === 'dead') return { ...withoutSchedule(record), state: 'dead', attempts, reason: result.reason, status: result.status, finishedAt };
  const reason = result?.reason ?? 'processing failed unexpectedly';
  const due = nextAttempt({ attempts, acceptedAtMs: Date.parse(record.acceptedAt), nowMs: now.getTime() }, policy);
  return due === undefined
    ? { ...withoutSchedule(record), state: 'dead', attempts, reason: `gave up after ${attempts} attempts over the intake's maximum age: ${reason}`, status: 503, finishedAt }
    : { ...record, attempts, reason, nextAttemptAt: new Date(due).toISOString() };
}

function withoutSchedule(record: IntakeRecord): IntakeRecord {
  const { nextAttemptAt: _, ...rest } = record;
  return rest;
}
