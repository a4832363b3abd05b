/**
 * One attempt at an event, as every intake makes it: run the event's path, turn what it came to
 * into the event's next record (record-after-attempt.ts), store that record, log what a user needs
 * to know. Never two attempts at one event at once in this process: a second caller joins the one
 * under way. What to do next (a timer, a JetStream ack or nak) is the intake's own business.
 *
 *   const attempts = createAttempts({ store, process, policy, logger });
 *   const { result, record, stored } = await attempts.run(pendingRecord(entry));
 */
import type { Logger } from 'pino';
import { LogKeys } from '../observability/log-keys.ts';
import type { AttemptResult } from './attempt-result.ts';
import type { IntakeObserver } from './intake.ts';
import { entryOf, type IntakeEntry, type IntakeRecord } from './intake-record.ts';
import type { IntakeStore } from './intake-store.ts';
import { recordAfterAttempt } from './record-after-attempt.ts';
import type { RetryPolicy } from './retry-schedule.ts';

export interface AttemptOutcome<Answer> {
  /** Undefined when processing threw (or the record held no event to process). */
  readonly result: AttemptResult<Answer> | undefined;
  /** The event's record now: stored, or, when storing it failed, the one before with the attempt counted. */
  readonly record: IntakeRecord;
  readonly stored: boolean;
}

export interface Attempts<Answer> {
  run(record: IntakeRecord): Promise<AttemptOutcome<Answer>>;
  /** The attempt under way at an event in this process, if any. */
  running(id: string): Promise<AttemptOutcome<Answer>> | undefined;
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
  const running = new Map<string, Promise<AttemptOutcome<Answer>>>();

  const attempt = async (record: IntakeRecord, entry: IntakeEntry): Promise<AttemptOutcome<Answer>> => {
    let result: AttemptResult<Answer> | undefined;
    try {
      result = await options.process(entry);
      options.observe?.({ kind: 'attempt', result: result.result });
    } catch (error) {
      options.observe?.({ kind: 'attempt', result: 'error' });
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'event processing failed; it stays pending');
    }
    const next = recordAfterAttempt(record, result, clock(), policy);
    try {
      await store.update(next);
    } catch (error) {
      // The stored record (or the stream's message) still says pending: the event is tried again.
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'intake record not updated; the event stays pending');
      return { result, record: { ...record, attempts: next.attempts }, stored: false };
    }
    if (next.state === 'pending') {
      logger.info({ [LogKeys.eventId]: entry.id, attempts: next.attempts, [LogKeys.reason]: next.reason, nextAttemptAt: next.nextAttemptAt }, 'event pending: will try again');
    } else if (next.state === 'dead') {
      logger.error({ [LogKeys.eventId]: entry.id, attempts: next.attempts, [LogKeys.reason]: next.reason, [LogKeys.status]: next.status }, 'event is a dead letter: fix the cause, then `runbridge retry`');
    }
    return { result, record: next, stored: true };
  };

  return {
    run(record) {
      const under = running.get(record.id);
      if (under) return under;
      const entry = entryOf(record);
      if (!entry) return Promise.resolve({ result: undefined, record, stored: false });
      const started = attempt(record, entry).finally(() => running.delete(record.id));
      running.set(record.id, started);
      return started;
    },
    running: (id) => running.get(id),
    underWay: () => [...running.values()],
  };
}
