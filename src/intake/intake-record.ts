/**
 * What the intake keeps for each accepted event: the event itself while it is pending or dead (so
 * it can be processed, retried and retried again by hand), and its state. A record is written
 * durably before the event is acknowledged; every later change is written the same way.
 */
import type { RunbridgeEvent } from '../events/event.ts';

/** Which path processes the event: the dispatcher (git, schedule, manual) or the completion handler. */
export type IntakeKind = 'dispatch' | 'completion';

export interface IntakeEntry {
  /** The event's id, namespaced by its source (`<source>:<delivery>`): the intake's key. */
  readonly id: string;
  readonly kind: IntakeKind;
  readonly event: RunbridgeEvent;
  /** ISO-8601 UTC time the intake stored it. */
  readonly acceptedAt: string;
}

export type IntakeState = 'pending' | 'done' | 'dead';

export interface IntakeRecord {
  readonly id: string;
  readonly kind: IntakeKind;
  readonly state: IntakeState;
  readonly acceptedAt: string;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Kept while pending or dead; dropped once done (the runs and records hold what matters). */
  readonly event?: RunbridgeEvent;
  /** The last failure, for pending (why it waits) and dead (why it stopped) events. */
  readonly reason?: string;
  /** The HTTP status of a permanent failure (dead letters). */
  readonly status?: number;
  /** Pending: when the next attempt is due. */
  readonly nextAttemptAt?: string;
  /** Done or dead: when it got there. */
  readonly finishedAt?: string;
}

export function pendingRecord(entry: IntakeEntry): IntakeRecord {
  return { id: entry.id, kind: entry.kind, state: 'pending', acceptedAt: entry.acceptedAt, attempts: 0, event: entry.event };
}

export function entryOf(record: IntakeRecord): IntakeEntry | undefined {
  return record.event ? { id: record.id, kind: record.kind, event: record.event, acceptedAt: record.acceptedAt } : undefined;
}
