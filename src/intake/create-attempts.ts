/**
 * One attempt at an event, as every intake makes it: run the event's path, turn what it came to
 * into the event's next record (record-after-attempt.ts), store that record, log what a user needs
 * to know. Never two attempts at one event at once in this process: a second caller joins the one
 * under way. What to do next (a timer, a JetStream ack or nak) is the intake's own business.
 *
 * The record is written by compare-and-set on the revision the attempt started from. When another
 * attempt (another replica's) wrote it meanwhile, its record is read again: a done record is kept
 * as it is (never turned back to pending), and so is a dead letter unless this attempt finished the
 * event; a pending one is counted on from.
 *
 *   const attempts = createAttempts({ store, process, policy, logger });
 *   const attempt = attempts.run({ record: pendingRecord(entry), revision: 0 });
 *   await attempt.processed;                                // the path ran: its runs exist (or it failed)
 *   const { result, record, stored } = await attempt.finished; // and the record says so
 */
import type { Logger } from 'pino';
import { StateConflictError } from '../state/store.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { AttemptResult } from './attempt-result.ts';
import type { IntakeObserver } from './intake.ts';
import { entryOf, type IntakeEntry, type IntakeRecord } from './intake-record.ts';
import type { IntakeStore, StoredIntakeRecord } from './intake-store.ts';
import { recordAfterAttempt } from './record-after-attempt.ts';
import type { RetryPolicy } from './retry-schedule.ts';

export interface AttemptOutcome<Answer> {
  /** Undefined when processing threw (or the record held no event to process). */
  readonly result: AttemptResult<Answer> | undefined;
  /** The event's record now: stored, or, when storing it failed, the one before with the attempt counted. */
  readonly record: IntakeRecord;
  /** The revision `record` is stored at (when storing failed, the one the attempt started from). */
  readonly revision: number;
  readonly stored: boolean;
}

/** An attempt under way: what its path came to (as soon as it ran), and its outcome (once its record is written). */
export interface RunningAttempt<Answer> {
  /** Undefined when processing threw (or the record held no event to process). */
  readonly processed: Promise<AttemptResult<Answer> | undefined>;
  readonly finished: Promise<AttemptOutcome<Answer>>;
}

export interface Attempts<Answer> {
  /** Tries the event of a record stored at its revision (0: none stored yet). */
  run(from: StoredIntakeRecord): RunningAttempt<Answer>;
  /** The attempt under way at an event in this process, if any. */
  running(id: string): RunningAttempt<Answer> | undefined;
  /** Every attempt under way (stop waits for them). */
  underWay(): Promise<AttemptOutcome<Answer>>[];
}

export interface AttemptsOptions<Answer> {
  readonly store: IntakeStore;
  readonly process: (entry: IntakeEntry) => Promise<AttemptResult<Answer>>;
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly observe?: IntakeObserver<Answer> | undefined;
}

export function createAttempts<Answer>(options: AttemptsOptions<Answer>): Attempts<Answer> {
  const { store, logger, policy, clock } = options;
  const running = new Map<string, RunningAttempt<Answer>>();

  /** Writes the record after the attempt over the one it started from; what is stored then. */
  const write = async (from: StoredIntakeRecord, result: AttemptResult<Answer> | undefined): Promise<StoredIntakeRecord> => {
    let current = from;
    for (let conflicts = 0; ; conflicts++) {
      const next = recordAfterAttempt(current.record, result, clock(), policy);
      try {
        return { record: next, revision: await store.update(next, current.revision) };
      } catch (error) {
        if (!(error instanceof StateConflictError) || conflicts === MAX_CONFLICTS) throw error;
      }
      const now = await store.get(from.record.id);
      if (now !== undefined && !supersedes(next, now.record)) {
        logger.info({ [LogKeys.eventId]: from.record.id, state: now.record.state }, 'intake record finished by another attempt meanwhile; it is kept');
        return now;
      }
      current = now ?? { record: current.record, revision: 0 };
    }
  };

  const processEntry = async (entry: IntakeEntry): Promise<AttemptResult<Answer> | undefined> => {
    try {
      const result = await options.process(entry);
      options.observe?.({ kind: 'attempt', result: result.result });
      return result;
    } catch (error) {
      options.observe?.({ kind: 'attempt', result: 'error' });
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'event processing failed; it stays pending');
      return undefined;
    }
  };

  const finish = async (from: StoredIntakeRecord, entry: IntakeEntry, processed: Promise<AttemptResult<Answer> | undefined>): Promise<AttemptOutcome<Answer>> => {
    const result = await processed;
    let stored: StoredIntakeRecord;
    try {
      stored = await write(from, result);
    } catch (error) {
      // The stored record (or the stream's message) still says pending: the event is tried again.
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'intake record not updated; the event stays pending');
      return { result, record: { ...from.record, attempts: from.record.attempts + 1 }, revision: from.revision, stored: false };
    }
    const next = stored.record;
    if (next.state === 'pending') {
      logger.info({ [LogKeys.eventId]: entry.id, attempts: next.attempts, [LogKeys.reason]: next.reason, nextAttemptAt: next.nextAttemptAt }, 'event pending: will try again');
    } else if (next.state === 'dead') {
      logger.error({ [LogKeys.eventId]: entry.id, attempts: next.attempts, [LogKeys.reason]: next.reason, [LogKeys.status]: next.status }, 'event is a dead letter: fix the cause, then `runbridge retry`');
    }
    return { result, record: next, revision: stored.revision, stored: true };
  };

  return {
    run(from) {
      const { record } = from;
      const under = running.get(record.id);
      if (under) return under;
      const entry = entryOf(record);
      if (!entry) return { processed: Promise.resolve(undefined), finished: Promise.resolve({ result: undefined, record, revision: from.revision, stored: false }) };
      const processed = processEntry(entry);
      const started: RunningAttempt<Answer> = { processed, finished: finish(from, entry, processed).finally(() => running.delete(record.id)) };
      running.set(record.id, started);
      return started;
    },
    running: (id) => running.get(id),
    underWay: () => [...running.values()].map((a) => a.finished),
  };
}

/** Compare-and-set conflicts an attempt's write goes through before it gives up (the event stays pending). */
const MAX_CONFLICTS = 5;

/** Whether an attempt's record may replace the stored one: a done record is final, a dead letter yields only to done. */
function supersedes(next: IntakeRecord, stored: IntakeRecord): boolean {
  return stored.state === 'pending' || (stored.state === 'dead' && next.state === 'done');
}
