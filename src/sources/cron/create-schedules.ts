/**
 * The daemon's schedules: the Lease
 * elector when `leaderElection.enabled` (otherwise this one process fires), and the scheduler.
 * Creating them checks everything that can be wrong (credentials, timings) and starts nothing;
 * `start()` starts the elector and the scheduler. Nothing at all when no run configuration has a
 * schedule.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import type { LeaderElector } from '../../leader/create-leader-elector.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { StateStore } from '../../state/store.ts';
import { createScheduler, type Scheduler } from './create-scheduler.ts';

export interface Schedules {
  readonly scheduler: Scheduler | undefined;
  readonly elector: LeaderElector | undefined;
  start(): void;
  stop(): Promise<void>;
}

export interface StartSchedulesOptions {
  readonly store: StateStore;
  /** Reads back and cancels runs where the sink creates them (concurrencyPolicy Forbid/Replace). */
  readonly runControl: RunControl;
  /** The intake's door for tick events. */
  readonly accept: AcceptEvent;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly clock?: (() => Date) | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

export async function createSchedules(loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>, options: StartSchedulesOptions): Promise<Schedules> {
  const { config } = loaded;
  const scheduled = loaded.runConfigurations.filter((rc) => rc.spec.triggers.schedules.length > 0);
  if (scheduled.length === 0) return { scheduler: undefined, elector: undefined, start: () => {}, stop: async () => {} };
  const kube = config.sink.type === 'kubernetes' ? config.sink : undefined;
  const kubeconfig = kube?.kubeconfig === undefined ? undefined : resolve(loaded.baseDir, kube.kubeconfig);
  const env = options.env ?? process.env;
  const { runControl } = options;

  let scheduler: Scheduler | undefined;
  const election = config.leaderElection?.enabled ? config.leaderElection : undefined;
  const elector = election
    ? (await import('../../leader/create-lease-elector.ts')).createLeaseElector(election, {
        kubeConfig: (await import('../../kubernetes/load-kube-config.ts')).loadKubeConfig({ kubeconfig, context: kube?.context, env }),
        logger: options.logger,
        env,
        onStartedLeading: () => scheduler?.wake(),
      })
    : undefined;
  scheduler = createScheduler({
    runConfigurations: scheduled,
    accept: options.accept,
    store: options.store,
    logger: options.logger,
    metrics: options.metrics,
    runControl,
    ...(elector ? { isLeader: elector.isLeader } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    scheduler,
    elector,
    start() {
      elector?.start();
      scheduler?.start();
    },
    async stop() {
      await scheduler?.stop();
      await elector?.stop();
    },
  };
}
