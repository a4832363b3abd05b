/**
 * The durable intake: every event is stored before anything that can fail for a passing reason
 * happens, then processed — once right away, and again with backoff while it fails for a passing
 * reason, until it is done, fails for good (a dead letter, kept and retryable by hand), or grows
 * older than `policy.maxAgeMs`. The caller that submitted an event waits for its first attempt
 * only up to `answerWithinMs`; the event goes on without it.
 *
 *   const intake = createIntake({ store, process, policy, bounds, answerWithinMs: 5000 });
 *   await intake.start();                       // resumes what was pending at the last stop
 *   const submitted = await intake.submit({ id, kind: 'dispatch', event });
 *   // submitted.state: 'done' (answer), 'pending' (202: it will be processed), 'dead' (4xx)
 *
 * Exactly-once is not the intake's job: an event may be processed more than once (a retry after a
 * failure that came after its runs were created, a crash before its record was updated), and the
 * path it runs (deterministic run names, submission records) makes each repeat find what the first
 * made. The intake's job is that nothing acknowledged is lost.
 */
import type { Logger } from 'pino';
import { IntakeNotFoundError, IntakeUnavailableError } from '../errors.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { AttemptResult } from './attempt-result.ts';
import { entryOf, pendingRecord, type IntakeEntry, type IntakeRecord } from './intake-record.ts';
import type { IntakeStore } from './intake-store.ts';
import { nextAttempt, type RetryPolicy } from './retry-schedule.ts';

export interface IntakeBounds {
  /** Pending events at most; over it, new events are refused (503 + Retry-After). */
  readonly maxPending: number;
  /** Bytes of pending events' JSON at most. */
  readonly maxPendingBytes: number;
}

export interface IntakeOptions<Answer> {
  readonly store: IntakeStore;
  /** Runs the event's path once. Throwing counts as a failure worth retrying. */
  readonly process: (entry: IntakeEntry) => Promise<AttemptResult<Answer>>;
  readonly policy: RetryPolicy;
  readonly bounds: IntakeBounds;
  readonly answerWithinMs: number;
  readonly logger: Logger;
  readonly clock?: () => Date;
  /** Told of every attempt's result (metrics). */
  readonly observe?: (event: { readonly kind: 'attempt'; readonly result: AttemptResult<Answer>['result'] | 'error' } | { readonly kind: 'refused' }) => void;
}

/** What the submitter is told. `duplicate`: the id had been accepted before (a redelivery). */
export type Submitted<Answer> =
  | { readonly state: 'done'; readonly duplicate: boolean; readonly answer: Answer }
  | { readonly state: 'pending'; readonly duplicate: boolean; readonly record: IntakeRecord; readonly answer?: Answer }
  | { readonly state: 'dead'; readonly duplicate: boolean; readonly record: IntakeRecord; readonly answer?: Answer };

export interface Intake<Answer> {
  start(): Promise<void>;
  submit(entry: Omit<IntakeEntry, 'acceptedAt'>): Promise<Submitted<Answer>>;
  /** Takes a dead letter back (after the configuration was fixed) and processes it again now. */
  retry(id: string): Promise<Submitted<Answer>>;
  get(id: string): Promise<IntakeRecord | undefined>;
  /** Pending and dead events, oldest first (status, `runbridge status`). */
  backlog(): { readonly pending: readonly IntakeRecord[]; readonly dead: readonly IntakeRecord[] };
  /** False for a few seconds after storing an event failed (readiness): the intake cannot take events. */
  writable(): boolean;
  /** Age of the oldest pending event in ms, 0 when none. */
  oldestPendingAgeMs(): number;
  /** Stops new submissions and timers; waits for attempts under way, up to `graceMs`. Pending events stay stored. */
  stop(graceMs: number): Promise<void>;
}

interface Held<Answer> {
  record: IntakeRecord;
  bytes: number;
  timer?: NodeJS.Timeout | undefined;
  running?: Promise<AttemptResult<Answer> | undefined> | undefined;
}

export function createIntake<Answer>(options: IntakeOptions<Answer>): Intake<Answer> {
  const { store, logger, policy, bounds } = options;
  const clock = options.clock ?? (() => new Date());
  const pending = new Map<string, Held<Answer>>();
  const dead = new Map<string, IntakeRecord>();
  let pendingBytes = 0;
  let stopped = false;
  let storeFailedAt = -Infinity;

  const hold = (record: IntakeRecord, bytes: number): Held<Answer> => {
    const held: Held<Answer> = { record, bytes };
    pending.set(record.id, held);
    pendingBytes += bytes;
    return held;
  };
  const release = (held: Held<Answer>): void => {
    if (held.timer) clearTimeout(held.timer);
    if (pending.get(held.record.id) === held) {
      pending.delete(held.record.id);
      pendingBytes -= held.bytes;
    }
  };

  const schedule = (held: Held<Answer>, dueMs: number): void => {
    if (stopped) return;
    if (held.timer) clearTimeout(held.timer);
    held.timer = setTimeout(() => void attempt(held), Math.max(0, dueMs - clock().getTime()));
    held.timer.unref();
  };

  /** One attempt, never two at once for one event; its result written before the next is planned. */
  const attempt = (held: Held<Answer>): Promise<AttemptResult<Answer> | undefined> => {
    if (held.running) return held.running;
    const entry = entryOf(held.record);
    if (!entry) return Promise.resolve(undefined);
    const running = runAttempt(held, entry).finally(() => {
      held.running = undefined;
    });
    held.running = running;
    return running;
  };

  const runAttempt = async (held: Held<Answer>, entry: IntakeEntry): Promise<AttemptResult<Answer> | undefined> => {
    let result: AttemptResult<Answer> | undefined;
    try {
      result = await options.process(entry);
      options.observe?.({ kind: 'attempt', result: result.result });
    } catch (error) {
      options.observe?.({ kind: 'attempt', result: 'error' });
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'event processing failed; it stays pending');
    }
    const attempts = held.record.attempts + 1;
    const now = clock();
    const finishedAt = now.toISOString();
    let next: IntakeRecord;
    if (result?.result === 'done') {
      next = { id: entry.id, kind: entry.kind, state: 'done', acceptedAt: entry.acceptedAt, attempts, finishedAt };
    } else if (result?.result === 'dead') {
      next = { ...held.record, state: 'dead', attempts, reason: result.reason, status: result.status, finishedAt };
    } else {
      const reason = result?.reason ?? 'processing failed unexpectedly';
      const due = nextAttempt({ attempts, acceptedAtMs: Date.parse(entry.acceptedAt), nowMs: now.getTime() }, policy);
      next =
        due === undefined
          ? { ...held.record, state: 'dead', attempts, reason: `gave up after ${attempts} attempts over the intake's maximum age: ${reason}`, status: 503, finishedAt }
          : { ...held.record, attempts, reason, nextAttemptAt: new Date(due).toISOString() };
    }
    try {
      await store.update(next);
    } catch (error) {
      // The stored record still says pending: a restart tries again. Until then, so does this process.
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'intake record not updated; the event stays pending');
      held.record = { ...held.record, attempts };
      schedule(held, now.getTime() + policy.initialDelayMs);
      return result;
    }
    held.record = next;
    if (next.state === 'pending') {
      logger.info({ [LogKeys.eventId]: entry.id, attempts, [LogKeys.reason]: next.reason, nextAttemptAt: next.nextAttemptAt }, 'event pending: will try again');
      schedule(held, Date.parse(next.nextAttemptAt ?? finishedAt));
    } else {
      release(held);
      if (next.state === 'dead') {
        dead.set(next.id, next);
        logger.error({ [LogKeys.eventId]: entry.id, attempts, [LogKeys.reason]: next.reason, [LogKeys.status]: next.status }, 'event is a dead letter: fix the cause, then `runbridge retry`');
      }
    }
    return result;
  };

  /** Waits for an attempt up to the answer deadline; undefined when it is not over by then. */
  const within = async (running: Promise<AttemptResult<Answer> | undefined>): Promise<AttemptResult<Answer> | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.answerWithinMs);
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  };

  const answerFor = (held: Held<Answer>, result: AttemptResult<Answer> | undefined, duplicate: boolean): Submitted<Answer> => {
    if (result?.result === 'done') return { state: 'done', duplicate, answer: result.answer };
    const record = held.record;
    const state = record.state === 'dead' ? 'dead' : 'pending';
    return result ? { state, duplicate, record, answer: result.answer } : { state, duplicate, record };
  };

  const submitted = async (held: Held<Answer>, duplicate: boolean): Promise<Submitted<Answer>> => answerFor(held, await within(attempt(held)), duplicate);

  return {
    async start() {
      for (const record of await store.list()) {
        if (record.state === 'dead') dead.set(record.id, record);
        if (record.state !== 'pending') continue;
        const held = hold(record, byteSize(record));
        schedule(held, record.nextAttemptAt ? Date.parse(record.nextAttemptAt) : clock().getTime());
      }
      if (pending.size > 0) logger.info({ pending: pending.size, dead: dead.size }, 'intake: resuming pending events');
    },

    async submit(input) {
      if (stopped) throw new IntakeUnavailableError('runbridge is shutting down', { retryAfterSeconds: 5 });
      const entry: IntakeEntry = { ...input, acceptedAt: clock().toISOString() };
      const known = pending.get(entry.id);
      if (known) return submitted(known, true);
      const record = pendingRecord(entry);
      const bytes = byteSize(record);
      if (pending.size >= bounds.maxPending || pendingBytes + bytes > bounds.maxPendingBytes) {
        options.observe?.({ kind: 'refused' });
        throw new IntakeUnavailableError(`the intake's backlog is full (${pending.size} events pending): try again later`, { retryAfterSeconds: 30 });
      }
      // Held before it is stored: a second delivery of the same id meanwhile waits for this one.
      const held = hold(record, bytes);
      let created: Awaited<ReturnType<IntakeStore['create']>>;
      try {
        created = await store.create(record);
      } catch (error) {
        release(held);
        storeFailedAt = clock().getTime();
        options.observe?.({ kind: 'refused' });
        throw new IntakeUnavailableError('the intake cannot store events now', { retryAfterSeconds: 10, cause: error });
      }
      if (created.created) return submitted(held, false);
      release(held);
      const existing = created.existing;
      if (existing.state === 'dead') return { state: 'dead', duplicate: true, record: existing };
      if (existing.state === 'done') {
        // Processed again to answer with its runs (each found, not created); nothing is stored.
        const again = await within(options.process(entry).catch(() => undefined));
        if (again?.result === 'done') return { state: 'done', duplicate: true, answer: again.answer };
        return { state: 'pending', duplicate: true, record: existing };
      }
      // Pending in storage but not held here: another replica holds it (shared store).
      return { state: 'pending', duplicate: true, record: existing };
    },

    async retry(id) {
      const record = dead.get(id) ?? (await store.get(id));
      if (!record || record.state !== 'dead' || !record.event) throw new IntakeNotFoundError(`no dead letter with id ${JSON.stringify(id)}`);
      const revived: IntakeRecord = { id: record.id, kind: record.kind, state: 'pending', acceptedAt: clock().toISOString(), attempts: 0, event: record.event };
      await store.update(revived);
      dead.delete(id);
      logger.info({ [LogKeys.eventId]: id }, 'dead letter taken back: processing it again');
      return submitted(hold(revived, byteSize(revived)), false);
    },

    get: (id) => store.get(id),

    backlog() {
      const byAge = (a: IntakeRecord, b: IntakeRecord): number => a.acceptedAt.localeCompare(b.acceptedAt);
      return { pending: [...pending.values()].map((h) => h.record).sort(byAge), dead: [...dead.values()].sort(byAge) };
    },

    writable: () => clock().getTime() - storeFailedAt > UNWRITABLE_FOR_MS,

    oldestPendingAgeMs() {
      let oldest = Infinity;
      for (const held of pending.values()) oldest = Math.min(oldest, Date.parse(held.record.acceptedAt));
      return oldest === Infinity ? 0 : Math.max(0, clock().getTime() - oldest);
    },

    async stop(graceMs) {
      stopped = true;
      for (const held of pending.values()) if (held.timer) clearTimeout(held.timer);
      const running = [...pending.values()].flatMap((h) => (h.running ? [h.running] : []));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(running), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}

/** How long readiness stays false after a failed store: long enough to shed load, short enough to recover without traffic. */
const UNWRITABLE_FOR_MS = 5_000;

function byteSize(record: IntakeRecord): number {
  return Buffer.byteLength(JSON.stringify(record.event ?? null));
}
