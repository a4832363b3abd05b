/**
 * Each upstream run configuration's latest known runs (`chaining.latest.<rc>`): the latest
 * succeeded (whose artifacts downstream parameters take), the latest failed, and the latest of
 * either. A completion older than the latest of its own outcome is stale: it is remembered in the
 * completion ledger but never replaces the newer run here (KFP-Operator lets it overwrite).
 */
import { stateKey, type StateStore } from '../state/store.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { endedBefore, type UpstreamRun } from './upstream-run.ts';

export interface LatestRuns {
  readonly succeeded?: UpstreamRun;
  readonly failed?: UpstreamRun;
  readonly completed?: UpstreamRun;
}

export type UpstreamOutcome = 'succeeded' | 'failed' | 'completed';

export function latestRunsKey(runConfiguration: string): string {
  return stateKey('chaining', 'latest', runConfiguration);
}

export async function readLatestRuns(store: StateStore, runConfiguration: string): Promise<LatestRuns> {
  return (await store.get<LatestRuns>(latestRunsKey(runConfiguration)))?.value ?? {};
}

/** The latest run that counts for `on`. */
export function latestFor(latest: LatestRuns, on: UpstreamOutcome): UpstreamRun | undefined {
  return on === 'completed' ? latest.completed : latest[on];
}

/**
 * Makes `run` the latest of its outcome unless a run of the same outcome that ended later is
 * already known; returns that newer run when `run` is stale. Reporting the same run again is not
 * stale and changes nothing.
 */
export async function recordLatestRun(store: CoalescingStore, runConfiguration: string, run: UpstreamRun): Promise<{ newer?: UpstreamRun }> {
  let newer: UpstreamRun | undefined;
  await store.update<LatestRuns>(latestRunsKey(runConfiguration), (current = {}) => {
    newer = undefined;
    const same = current[run.status];
    if (same !== undefined && same.runKey !== run.runKey && endedBefore(run, same)) {
      newer = same;
      return undefined;
    }
    if (same?.runKey === run.runKey) return undefined;
    const takesCompleted = current.completed === undefined || !endedBefore(run, current.completed);
    return { ...current, [run.status]: run, ...(takesCompleted ? { completed: run } : {}) };
  });
  return newer ? { newer } : {};
}
