/** What the scheduler keeps per schedule, and what handling one needs from the daemon. */
import type { Logger } from 'pino';
import type { Schedule } from '../../config/schema.ts';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { StateStore } from '../../state/store.ts';
import type { CompiledSchedule } from './compile-schedule.ts';

export interface ScheduleEntry {
  /** `namespace/name` of the run configuration. */
  readonly runConfiguration: string;
  /** Position in `triggers.schedules`. */
  readonly index: number;
  /** How many schedules the run configuration has (Forbid/Replace look at the runs of all of them). */
  readonly siblings: number;
  readonly schedule: Schedule;
  readonly compiled: CompiledSchedule;
  /** When a schedule has no record yet, slots before this are not its business. Set when the scheduler first looks. */
  baseline?: Date;
  /** When the scheduler looks at this schedule next (ms since the epoch; Infinity: never). */
  dueAt: number;
  /** A claimed slot whose dispatch failed is tried again at this time. */
  retryAt?: number | undefined;
  /** Suspended schedules: the last slot counted as skipped. */
  suspendedSeen?: Date;
}

export interface SchedulerDeps {
  readonly store: StateStore;
  /** The intake's door: a tick is stored there before anything that can fail for a passing reason. */
  readonly accept: AcceptEvent;
  readonly runControl: RunControl | undefined;
  readonly logger: Logger;
  readonly metrics: Metrics | undefined;
  readonly isLeader: () => boolean;
  readonly clock: () => Date;
  readonly onTimeGraceMs: number;
  /** Delay before dispatch attempt `attempt + 1` of a claimed slot. */
  readonly retryDelayMs: (attempt: number) => number;
}

export type SlotOutcome = 'fired' | 'skipped_forbid' | 'skipped_deadline' | 'skipped_suspended' | 'missed' | 'replaced' | 'failed';

export function countSlot(deps: SchedulerDeps, entry: ScheduleEntry, outcome: SlotOutcome, by = 1): void {
  deps.metrics?.scheduleSlots.inc({ run_configuration: entry.runConfiguration, outcome }, by);
}
