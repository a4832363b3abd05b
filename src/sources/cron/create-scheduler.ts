/**
 * The cron source: fires each schedule's slots as tick events through the intake (`accept(event)`), in this
 * process only while it is the leader (`isLeader`, from the Lease elector when several replicas
 * run; always true otherwise). One timer is armed for the earliest schedule due; each wake-up
 * handles the schedules that are due, concurrently. Gaining leadership (and starting) looks at
 * every schedule, which is how claimed slots are resumed and missed slots caught up.
 *
 * Clock and timers are injected, so tests move time instead of waiting for it.
 */
import type { Logger } from 'pino';
import type { RunConfiguration } from '../../config/schema.ts';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import { ConfigError } from '../../errors.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { StateStore } from '../../state/store.ts';
import { compileSchedule } from './compile-schedule.ts';
import { handleSchedule } from './handle-schedule.ts';
import type { ScheduleEntry, SchedulerDeps } from './schedule-entry.ts';
import { TICK_SOURCE } from './tick-event.ts';

export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  readonly runConfigurations: readonly { readonly key: string; readonly spec: RunConfiguration }[];
  readonly accept: AcceptEvent;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  /** Reads runs back for concurrencyPolicy Forbid/Replace; required when a schedule uses either. */
  readonly runControl?: RunControl | undefined;
  /** Whether this process fires ticks now (default: always). */
  readonly isLeader?: () => boolean;
  readonly clock?: () => Date;
  readonly timers?: SchedulerTimers;
  /** How late a slot may be and still count as on time for `catchUp: none` (default 60 s). */
  readonly onTimeGraceMs?: number;
  /** Delay before trying a failed slot again, by attempt (default 10 s doubling up to 5 min). */
  readonly retryDelayMs?: (attempt: number) => number;
  /** The longest the timer sleeps before looking again (default 60 s: clock jumps, long delays). */
  readonly maxSleepMs?: number;
  /** How often a process that is not the leader looks whether it has become one (default 1 s). */
  readonly followerPollMs?: number;
}

export interface ScheduleStatus {
  readonly runConfiguration: string;
  readonly index: number;
  readonly cron: string;
  readonly timezone: string;
  readonly nextSlot: string | undefined;
}

export interface Scheduler {
  /** Arms the timer and looks at every schedule at once. */
  start(): void;
  /** Disarms the timer and waits for a look in progress. */
  stop(): Promise<void>;
  /** Looks at the schedules that are due now (all of them with `all`), then re-arms the timer. */
  runDue(options?: { all?: boolean }): Promise<void>;
  /** Leadership changed: look at every schedule now. */
  wake(): void;
  status(): ScheduleStatus[];
}

const DEFAULT_RETRY = (attempt: number): number => Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 300_000);
const nodeTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createScheduler(options: SchedulerOptions): Scheduler {
  const clock = options.clock ?? (() => new Date());
  const timers = options.timers ?? nodeTimers;
  const maxSleepMs = options.maxSleepMs ?? 60_000;
  const followerPollMs = options.followerPollMs ?? 1000;
  const logger = options.logger.child({ [LogKeys.source]: TICK_SOURCE });
  const entries = buildEntries(options.runConfigurations);
  if (!options.runControl) {
    const needing = entries.filter((e) => e.schedule.concurrencyPolicy !== 'Allow').map((e) => `${e.runConfiguration} schedules[${e.index}]`);
    if (needing.length > 0) {
      throw new ConfigError([{ path: 'sink', message: `concurrencyPolicy Forbid/Replace needs a sink whose runs can be read back (${needing.join(', ')})` }]);
    }
  }
  const deps: SchedulerDeps = {
    store: options.store,
    accept: options.accept,
    runControl: options.runControl,
    logger,
    metrics: options.metrics,
    isLeader: options.isLeader ?? (() => true),
    clock,
    onTimeGraceMs: options.onTimeGraceMs ?? 60_000,
    retryDelayMs: options.retryDelayMs ?? DEFAULT_RETRY,
  };
  let timer: unknown;
  let stopped = true;
  let wasLeader = false;
  let forceAll = true;
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const look = async (all: boolean): Promise<void> => {
    // A schedule's history starts when this process first looks, leader or not.
    for (const entry of entries) entry.baseline ??= clock();
    if (!deps.isLeader()) {
      if (wasLeader) logger.info('not the leader: schedules are fired by another replica');
      wasLeader = false;
      return;
    }
    if (!wasLeader) all = true;
    wasLeader = true;
    const now = clock().getTime();
    const due = entries.filter((e) => all || e.dueAt <= now);
    await Promise.all(
      due.map(async (entry) => {
        try {
          entry.dueAt = (await handleSchedule(entry, deps)) ?? Infinity;
        } catch (error) {
          entry.dueAt = clock().getTime() + deps.retryDelayMs(1);
          logger.error({ err: error, [LogKeys.runConfiguration]: entry.runConfiguration, index: entry.index }, 'schedule could not be handled; will look again');
        }
      }),
    );
  };

  const arm = (): void => {
    if (stopped) return;
    if (timer !== undefined) timers.clearTimeout(timer);
    const now = clock().getTime();
    const earliest = Math.min(...entries.map((e) => e.dueAt));
    const delay = !deps.isLeader() ? followerPollMs : Math.max(0, Math.min(earliest - now, maxSleepMs));
    timer = timers.setTimeout(() => {
      timer = undefined;
      void runDue();
    }, delay);
  };

  const runDue = (opts: { all?: boolean } = {}): Promise<void> => {
    if (opts.all) forceAll = true;
    queued ??= running
      .then(async () => {
        queued = undefined;
        const all = forceAll;
        forceAll = false;
        await look(all);
      })
      .catch((error: unknown) => logger.error({ err: error }, 'scheduler look failed'))
      .finally(arm);
    running = queued;
    return queued;
  };

  return {
    start() {
      if (entries.length === 0 || !stopped) return;
      stopped = false;
      const now = clock();
      for (const entry of entries) {
        const next = entry.compiled.next(now);
        if (!next) logger.warn({ [LogKeys.runConfiguration]: entry.runConfiguration, index: entry.index, cron: entry.schedule.cron }, 'schedule has no slot left');
      }
      logger.info({ schedules: entries.length }, 'scheduler started');
      void runDue({ all: true });
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runDue,
    wake() {
      if (!stopped) void runDue({ all: true });
    },
    status: () =>
      entries.map((e) => ({
        runConfiguration: e.runConfiguration,
        index: e.index,
        cron: e.schedule.cron,
        timezone: e.schedule.timezone,
        nextSlot: e.compiled.next(clock())?.toISOString(),
      })),
  };
}

function buildEntries(runConfigurations: SchedulerOptions['runConfigurations']): ScheduleEntry[] {
  return runConfigurations.flatMap((rc) =>
    rc.spec.triggers.schedules.map((schedule, index) => ({
      runConfiguration: rc.key,
      index,
      siblings: rc.spec.triggers.schedules.length,
      schedule,
      compiled: compileSchedule(schedule),
      dueAt: 0,
    })),
  );
}
