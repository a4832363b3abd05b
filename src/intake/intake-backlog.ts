/**
 * What `GET /status` and `runbridge status` show of the intake: how many events wait (and how old
 * the oldest is), how many are dead letters, and the first of each, oldest first, with the reason
 * they wait or stopped — never the payload. Bounded, so a long outage's backlog does not make the
 * status page as large as the backlog.
 */
import type { IntakeRecord, IntakeState } from './intake-record.ts';

/** Events listed per state; the counts are always whole. */
export const BACKLOG_LISTED = 100;

export interface BacklogEvent {
  /** The intake's id (`<source>:<id>`): what `runbridge retry` takes. */
  readonly id: string;
  readonly state: Exclude<IntakeState, 'done'>;
  readonly eventType?: string;
  readonly acceptedAt: string;
  readonly attempts: number;
  readonly reason?: string;
  /** Dead letters: the status their permanent failure was answered with. */
  readonly status?: number;
  /** Pending: when the next attempt is due. */
  readonly nextAttemptAt?: string;
}

export interface IntakeBacklogReport {
  readonly pending: number;
  readonly dead: number;
  readonly oldestPendingSeconds: number;
  /** Pending events then dead letters, each oldest first, at most BACKLOG_LISTED of each. */
  readonly events: readonly BacklogEvent[];
}

export function intakeBacklog(
  backlog: { readonly pending: readonly IntakeRecord[]; readonly dead: readonly IntakeRecord[] },
  oldestPendingMs: number,
): IntakeBacklogReport {
  const listed = [...backlog.pending.slice(0, BACKLOG_LISTED), ...backlog.dead.slice(0, BACKLOG_LISTED)];
  return {
    pending: backlog.pending.length,
    dead: backlog.dead.length,
    oldestPendingSeconds: Math.round(oldestPendingMs / 1000),
    events: listed.map(backlogEvent),
  };
}

function backlogEvent(record: IntakeRecord): BacklogEvent {
  const { id, acceptedAt, attempts, reason, status, nextAttemptAt } = record;
  return {
    id,
    state: record.state === 'dead' ? 'dead' : 'pending',
    ...(record.event ? { eventType: record.event.type } : {}),
    acceptedAt,
    attempts,
    ...(reason !== undefined ? { reason } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
  };
}
