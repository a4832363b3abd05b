/**
 * The durable intake's one interface, whichever kind stores the events: the file intake (one
 * process, create-intake.ts) or the JetStream intake shared by replicas (create-jetstream-intake.ts).
 *
 *   await intake.start();                       // resumes what was pending at the last stop
 *   const submitted = await intake.submit({ id, kind: 'dispatch', event });
 *   // submitted.state: 'done' (answer), 'pending' (202: it will be processed), 'dead' (4xx)
 *
 * Exactly-once is not the intake's job: an event may be processed more than once (a retry after a
 * failure that came after its runs were created, a crash before its record was updated, two
 * replicas taking the same event), and the path it runs (deterministic run names, submission
 * records) makes each repeat find what the first made. The intake's job is that nothing
 * acknowledged is lost.
 */
import type { Logger } from 'pino';
import type { AttemptResult } from './attempt-result.ts';
import type { IntakeEntry, IntakeRecord } from './intake-record.ts';
import type { RetryPolicy } from './retry-schedule.ts';

export interface IntakeBounds {
  /** Pending events at most; over it, new events are refused (503 + Retry-After). */
  readonly maxPending: number;
  /** Bytes of pending events' JSON at most. */
  readonly maxPendingBytes: number;
}

/** Told of every attempt's result and every refused event (metrics). */
export type IntakeObserver<Answer> = (
  event: { readonly kind: 'attempt'; readonly result: AttemptResult<Answer>['result'] | 'error' } | { readonly kind: 'refused' },
) => void;

/** What every intake needs, whatever stores its events. */
export interface IntakeEngineOptions<Answer> {
  /** Runs the event's path once. Throwing counts as a failure worth retrying. */
  readonly process: (entry: IntakeEntry) => Promise<AttemptResult<Answer>>;
  readonly policy: RetryPolicy;
  readonly answerWithinMs: number;
  readonly logger: Logger;
  readonly clock?: (() => Date) | undefined;
  readonly observe?: IntakeObserver<Answer> | undefined;
}

/** What the submitter is told. `duplicate`: the id had been accepted before (a redelivery). */
export type Submitted<Answer> =
  | { readonly state: 'done'; readonly duplicate: boolean; readonly answer: Answer }
  | { readonly state: 'pending'; readonly duplicate: boolean; readonly record: IntakeRecord; readonly answer?: Answer }
  | { readonly state: 'dead'; readonly duplicate: boolean; readonly record: IntakeRecord; readonly answer?: Answer };

/** An event handed to the intake. */
export interface Submission extends Omit<IntakeEntry, 'acceptedAt'> {
  /**
   * The size the event arrived as (a webhook delivery's body), counted against the backlog's byte
   * bound; when absent, the size of the event's JSON.
   */
  readonly bytes?: number;
}

export interface Intake<Answer> {
  start(): Promise<void>;
  submit(submission: Submission): Promise<Submitted<Answer>>;
  /** Takes a dead letter back (after the configuration was fixed) and processes it again now. */
  retry(id: string): Promise<Submitted<Answer>>;
  get(id: string): Promise<IntakeRecord | undefined>;
  /** Pending events that have a record of their own (tried at least once) and dead letters, oldest first (status, `runbridge status`). */
  backlog(): { readonly pending: readonly IntakeRecord[]; readonly dead: readonly IntakeRecord[] };
  /** Events stored and not yet done or dead, whether tried yet or not (the depth gauge). */
  pendingCount(): number;
  /** False while the intake cannot store events (readiness). */
  writable(): boolean;
  /** Age of the oldest pending event in ms, 0 when none. */
  oldestPendingAgeMs(): number;
  /** Stops new submissions and timers; waits for attempts under way, up to `graceMs`. Pending events stay stored. */
  stop(graceMs: number): Promise<void>;
}

/** How long readiness stays false after a failed store: long enough to shed load, short enough to recover without traffic. */
export const UNWRITABLE_FOR_MS = 5_000;
