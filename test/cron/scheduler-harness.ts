/**
 * A scheduler wired to a real intake in front of the real dispatcher, a memory sink and a file
 * state store, on a clock the test moves. `fire(at)` sets the clock and lets the scheduler look at
 * its schedules. The intake's own retries are an hour away: a tick is tried again only when the
 * scheduler hands it over again (or when a test calls `acceptThrough` for an intake of its own).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfigText, type LoadedConfig } from '../../src/config/load.ts';
import { createDispatcher } from '../../src/dispatch/create-dispatcher.ts';
import type { Dispatch } from '../../src/dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { createMemorySink, type MemorySink } from '../../src/sinks/memory-sink.ts';
import type { RunControl } from '../../src/runs/run-control.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import type { StateStore } from '../../src/state/store.ts';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../src/sources/cron/create-scheduler.ts';
import type { AcceptEvent } from '../../src/intake/open-intake.ts';
import { startTestIntake } from '../support/test-intake.ts';

export const RC = 'ml/nightly';

/** A configuration with one run configuration `ml/nightly` (Tekton CustomRun) and the given schedules. */
export function scheduledConfig(...schedules: object[]): string {
  return stringify({
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    runConfigurations: [
      {
        name: 'nightly',
        namespace: 'ml',
        template: 'tekton-customrun',
        parameters: [
          { name: 'customApiVersion', value: 'example.dev/v1' },
          { name: 'customKind', value: 'Train' },
          { name: 'slot', valueFrom: { event: 'scheduledTime' } },
        ],
        triggers: { schedules },
      },
    ],
  });
}

export async function loadScheduled(text: string, now: Date): Promise<LoadedConfig> {
  return loadConfigText(text, { baseDir: tmpdir(), fileName: 'scheduled.yaml', env: {}, clock: () => now });
}

export interface Harness {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly sink: Sink;
  readonly metrics: Metrics;
  /** Every tick the scheduler dispatched, in order. */
  readonly ticks: RunbridgeEvent[];
  /** The real dispatcher, recording each tick in `ticks`. */
  readonly dispatcher: Dispatch;
  /** What the intake's attempts dispatch through: `dispatcher` unless a test swaps it (a crash, a failure). */
  dispatch: Dispatch;
  /**
   * A real intake of its own in front of `dispatch` (for a scheduler standing for another
   * replica), trying failed events again by itself after `retryDelaySeconds` (an hour by default).
   */
  acceptThrough(dispatch: Dispatch, retryDelaySeconds?: number): Promise<AcceptEvent>;
  now: Date;
  /** A scheduler on this harness (a new instance each call: a restart). */
  scheduler(overrides?: Partial<SchedulerOptions>): Scheduler;
  /** Sets the clock to `at` and lets `scheduler` look at what is due. */
  at(scheduler: Scheduler, at: string | Date): Promise<void>;
  slots(outcome: string): Promise<number>;
  close(): Promise<void>;
}

export async function createHarness(
  config: string,
  options: { start: string; sink?: Sink; runControl?: RunControl; store?: StateStore } = { start: '2026-01-01T00:00:00Z' },
): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-cron-'));
  const store = options.store ?? createFileStore({ directory: join(dir, 'state') });
  const sink = options.sink ?? createMemorySink();
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = pino({ level: 'silent' });
  const ticks: RunbridgeEvent[] = [];
  const loaded = await loadScheduled(config, new Date(options.start));
  const dispatcher = createDispatcher({ runConfigurations: loaded.runConfigurations, sink, store: coalesceRecordUpdates(store), logger, metrics, clock: () => harness.now });
  const intakes: { close(): Promise<void> }[] = [];
  const acceptThrough = async (dispatch: Dispatch, retryDelaySeconds?: number): Promise<AcceptEvent> => {
    const intake = await startTestIntake(dispatch, logger, retryDelaySeconds);
    intakes.push(intake);
    return intake.accept;
  };
  const accept = await acceptThrough((event) => harness.dispatch(event));
  const harness: Harness = {
    loaded,
    store,
    sink,
    metrics,
    ticks,
    now: new Date(options.start),
    dispatcher: async (event) => {
      ticks.push(event);
      return dispatcher(event);
    },
    dispatch: async (event) => harness.dispatcher(event),
    acceptThrough,
    scheduler(overrides = {}) {
      return createScheduler({
        runConfigurations: harness.loaded.runConfigurations,
        accept,
        store,
        logger,
        metrics,
        clock: () => harness.now,
        timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
        retryDelayMs: () => 60_000,
        ...(options.runControl ? { runControl: options.runControl } : {}),
        ...overrides,
      });
    },
    async at(scheduler, at) {
      harness.now = new Date(at);
      await scheduler.runDue();
    },
    async slots(outcome) {
      const metric = await metrics.scheduleSlots.get();
      return metric.values.filter((v) => v.labels['outcome'] === outcome).reduce((sum, v) => sum + v.value, 0);
    },
    async close() {
      for (const intake of intakes) await intake.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function runsOf(sink: Sink): MemorySink['runs'] {
  return (sink as MemorySink).runs;
}
