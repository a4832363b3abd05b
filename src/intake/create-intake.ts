/**
 * The file intake (one process): every event is stored in the intake's own store before anything
 * that can fail for a passing reason happens, then processed — once right away, and again with
 * backoff while it fails for a passing reason, until it is done, fails for good (a dead letter,
 * kept and retryable by hand), or grows older than `policy.maxAgeMs`. The caller that submitted an
 * event waits for its first attempt only up to `answerWithinMs`; the event goes on without it.
 * Pending events are held here with a timer each; the bounds count them.
 *
 *   const intake = createIntake({ store, process, policy, bounds, answerWithinMs: 5000 });
 *
 * The interface and its rules are in intake.ts; the attempt itself in create-attempts.ts.
 */
import { IntakeNotFoundError, IntakeUnavailableError } from '../errors.ts';
import { LogKeys } from '../observability/log-keys.ts';
import { answerDone, answerOf, firstAnswer, within } from './answer-within.ts';
import { createAttempts, type AttemptOutcome, type RunningAttempt } from './create-attempts.ts';
import { UNWRITABLE_FOR_MS, type Intake, type IntakeBounds, type IntakeEngineOptions, type Submitted } from './intake.ts';
import { pendingRecord, type IntakeEntry, type IntakeRecord } from './intake-record.ts';
import type { IntakeStore } from './intake-store.ts';

export type { Intake, IntakeBounds, Submitted } from './intake.ts';

export interface IntakeOptions<Answer> extends IntakeEngineOptions<Answer> {
  readonly store: IntakeStore;
  readonly bounds: IntakeBounds;
}

interface Held {
  record: IntakeRecord;
  /** The revision `record` is stored at (0 until it is). */
  revision: number;
  bytes: number;
  timer?: NodeJS.Timeout | undefined;
}

export function createIntake<Answer>(options: IntakeOptions<Answer>): Intake<Answer> {
  const { store, logger, policy, bounds } = options;
  const clock = options.clock ?? (() => new Date());
  const attempts = createAttempts<Answer>({ ...options, clock });
  const pending = new Map<string, Held>();
  const dead = new Map<string, IntakeRecord>();
  let pendingBytes = 0;
  let stopped = false;
  let storeFailedAt = -Infinity;

  const hold = (record: IntakeRecord, revision: number, bytes: number): Held => {
    const held: Held = { record, revision, bytes };
    pending.set(record.id, held);
    pendingBytes += bytes;
    return held;
  };
  const release = (held: Held): void => {
    if (held.timer) clearTimeout(held.timer);
    if (pending.get(held.record.id) === held) {
      pending.delete(held.record.id);
      pendingBytes -= held.bytes;
    }
  };

  const schedule = (held: Held, dueMs: number): void => {
    if (stopped) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = setTimeout(() => void attempt(held).finished, Math.max(0, dueMs - clock().getTime()));
    held.timer.unref();
  };

  /** One attempt; its record written before the next is planned. */
  const attempt = (held: Held): RunningAttempt<Answer> => {
    const joined = attempts.running(held.record.id);
    if (joined) return joined;
    const running = attempts.run({ record: held.record, revision: held.revision });
    return { processed: running.processed, finished: running.finished.then((outcome) => planNext(held, outcome)) };
  };

  /** Keeps what an attempt stored, and schedules the event's next attempt or lets it go. */
  const planNext = (held: Held, outcome: AttemptOutcome<Answer>): AttemptOutcome<Answer> => {
    held.record = outcome.record;
    held.revision = outcome.revision;
    if (!outcome.stored) schedule(held, clock().getTime() + policy.initialDelayMs);
    else if (outcome.record.state === 'pending') schedule(held, Date.parse(outcome.record.nextAttemptAt ?? clock().toISOString()));
    else {
      release(held);
      if (outcome.record.state === 'dead') dead.set(outcome.record.id, outcome.record);
    }
    return outcome;
  };

  const submitted = async (held: Held, duplicate: boolean): Promise<Submitted<Answer>> => {
    const before = held.record;
    return answerOf(await within(firstAnswer(attempt(held)), options.answerWithinMs), before, duplicate);
  };

  return {
    async start() {
      for (const { record, revision } of await store.list()) {
        if (record.state === 'dead') dead.set(record.id, record);
        if (record.state !== 'pending') continue;
        const held = hold(record, revision, byteSize(record));
        schedule(held, record.nextAttemptAt ? Date.parse(record.nextAttemptAt) : clock().getTime());
      }
      if (pending.size > 0) logger.info({ pending: pending.size, dead: dead.size }, 'intake: resuming pending events');
    },

    async submit({ id, kind, event, bytes: arrived }) {
      if (stopped) throw new IntakeUnavailableError('runbridge is shutting down', { retryAfterSeconds: 5 });
      const entry: IntakeEntry = { id, kind, event, acceptedAt: clock().toISOString() };
      const known = pending.get(entry.id);
      if (known) return submitted(known, true);
      const record = pendingRecord(entry);
      const bytes = arrived ?? byteSize(record);
      if (pending.size >= bounds.maxPending || pendingBytes + bytes > bounds.maxPendingBytes) {
        options.observe?.({ kind: 'refused' });
        throw new IntakeUnavailableError(`the intake's backlog is full (${pending.size} events pending): try again later`, { retryAfterSeconds: 30 });
      }
      // Held before it is stored: a second delivery of the same id meanwhile waits for this one.
      const held = hold(record, 0, bytes);
      let created: Awaited<ReturnType<IntakeStore['create']>>;
      try {
        created = await store.create(record);
      } catch (error) {
        release(held);
        storeFailedAt = clock().getTime();
        options.observe?.({ kind: 'refused' });
        throw new IntakeUnavailableError('the intake cannot store events now', { retryAfterSeconds: 10, cause: error });
      }
      if (created.created) {
        held.revision = created.revision;
        return submitted(held, false);
      }
      release(held);
      const existing = created.existing;
      if (existing.state === 'dead') return { state: 'dead', duplicate: true, record: existing };
      if (existing.state === 'done') return answerDone(options.process, entry, existing, options.answerWithinMs);
      // Pending in storage but not held here: another process holds it (shared store).
      return { state: 'pending', duplicate: true, record: existing };
    },

    async retry(id) {
      const stored = await store.get(id);
      const record = stored?.record;
      if (!stored || !record || record.state !== 'dead' || !record.event) throw new IntakeNotFoundError(`no dead letter with id ${JSON.stringify(id)}`);
      const revived: IntakeRecord = { id: record.id, kind: record.kind, state: 'pending', acceptedAt: clock().toISOString(), attempts: 0, event: record.event };
      const revision = await store.update(revived, stored.revision);
      dead.delete(id);
      logger.info({ [LogKeys.eventId]: id }, 'dead letter taken back: processing it again');
      return submitted(hold(revived, revision, byteSize(revived)), false);
    },

    get: async (id) => (await store.get(id))?.record,

    backlog() {
      const byAge = (a: IntakeRecord, b: IntakeRecord): number => a.acceptedAt.localeCompare(b.acceptedAt);
      return { pending: [...pending.values()].map((h) => h.record).sort(byAge), dead: [...dead.values()].sort(byAge) };
    },

    pendingCount: () => pending.size,

    writable: () => clock().getTime() - storeFailedAt > UNWRITABLE_FOR_MS,

    oldestPendingAgeMs() {
      let oldest = Infinity;
      for (const held of pending.values()) oldest = Math.min(oldest, Date.parse(held.record.acceptedAt));
      return oldest === Infinity ? 0 : Math.max(0, clock().getTime() - oldest);
    },

    async stop(graceMs) {
      stopped = true;
      for (const held of pending.values()) if (held.timer) clearTimeout(held.timer);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(attempts.underWay()), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

function byteSize(record: IntakeRecord): number {
  return Buffer.byteLength(JSON.stringify(record.event ?? null));
}
