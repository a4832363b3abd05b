/**
 * Fires a slot this process has claimed: the concurrency policy first, then the tick is
 * dispatched, then the record says how it went. A dispatch that throws or fails in a way that may
 * pass leaves the slot `claimed`, to be tried again with the same event id; a permanent failure
 * (a template that cannot render, a kind the API server does not serve) is recorded as `failed`.
 */
import { LogKeys } from '../../observability/log-keys.ts';
import type { RunRef } from '../../runs/run-ref.ts';
import { StateConflictError } from '../../state/store.ts';
import { applyConcurrencyPolicy, describeRuns } from './apply-concurrency-policy.ts';
import { countSlot, type ScheduleEntry, type SchedulerDeps } from './schedule-entry.ts';
import { readSlot, runRefOf, writeSlot, type SlotRecord, type StoredSlot } from './slot-record.ts';
import { tickEvent } from './tick-event.ts';

export interface FireResult {
  readonly stored: StoredSlot;
  /** Set when the slot is still claimed and should be tried again then (ms since the epoch). */
  readonly retryAt?: number;
}

export async function fireSlot(entry: ScheduleEntry, claimed: StoredSlot & { record: SlotRecord }, deps: SchedulerDeps): Promise<FireResult> {
  const { record } = claimed;
  const slot = new Date(record.slot);
  const log = deps.logger.child({ [LogKeys.eventId]: record.eventId, [LogKeys.runConfiguration]: entry.runConfiguration });
  const update = (changes: Partial<SlotRecord>): Promise<StoredSlot> =>
    writeSlot(deps.store, entry.runConfiguration, entry.index, { ...record, ...changes, updatedAt: deps.clock().toISOString() }, claimed.revision);
  const attempts = record.attempts + 1;
  try {
    const policy = entry.schedule.concurrencyPolicy;
    const decision = await applyConcurrencyPolicy(policy, await previousRuns(entry, record, deps), deps);
    if (!decision.proceed) {
      const reason = `concurrencyPolicy Forbid: ${describeRuns(decision.running)} still running`;
      countSlot(deps, entry, 'skipped_forbid');
      log.info({ slot: record.slot, [LogKeys.reason]: reason }, 'schedule slot skipped');
      return { stored: await update({ state: 'skipped', reason }) };
    }
    if (decision.replaced.length > 0) {
      countSlot(deps, entry, 'replaced', decision.replaced.length);
      log.info({ slot: record.slot, replaced: describeRuns(decision.replaced) }, 'concurrencyPolicy Replace: previous run cancelled');
    }
    if (!deps.isLeader()) {
      log.warn({ slot: record.slot }, 'leadership lost before dispatch: the slot stays claimed for the next leader');
      return { stored: claimed };
    }
    const outcome = await deps.dispatch(tickEvent(entry.runConfiguration, entry.index, entry.schedule, slot));
    const result = outcome.matched.find((m) => m.runConfiguration === entry.runConfiguration);
    if (result?.run) {
      countSlot(deps, entry, 'fired');
      log.info({ slot: record.slot, local: entry.compiled.localTime(slot), run: result.run.name, created: result.run.created }, 'schedule slot fired');
      return { stored: await update({ state: 'fired', attempts, lastRun: runRefOf(result.run) }) };
    }
    const error = result?.error ?? { message: 'the run configuration did not take the tick', retryable: false };
    if (!error.retryable) {
      countSlot(deps, entry, 'failed');
      log.error({ slot: record.slot, [LogKeys.reason]: error.message }, 'schedule slot failed');
      return { stored: await update({ state: 'failed', attempts, reason: error.message }) };
    }
    return await retryLater(error.message);
  } catch (error) {
    if (error instanceof StateConflictError) throw error;
    return await retryLater(error instanceof Error ? error.message : String(error));
  }

  async function retryLater(reason: string): Promise<FireResult> {
    const retryAt = deps.clock().getTime() + deps.retryDelayMs(attempts);
    log.warn({ slot: record.slot, attempts, retryAt: new Date(retryAt).toISOString(), [LogKeys.reason]: reason }, 'schedule slot not fired yet; will try again');
    return { stored: await update({ attempts, reason }), retryAt };
  }
}

/** The latest run of every schedule of the run configuration, this one's included. */
async function previousRuns(entry: ScheduleEntry, record: SlotRecord, deps: SchedulerDeps): Promise<RunRef[]> {
  const runs = new Map<string, RunRef>();
  const add = (run: RunRef | undefined): void => {
    if (run) runs.set(`${run.apiVersion}/${run.kind}/${run.namespace}/${run.name}`, run);
  };
  add(record.lastRun);
  if (entry.schedule.concurrencyPolicy === 'Allow') return [...runs.values()];
  for (let index = 0; index < entry.siblings; index++) {
    if (index !== entry.index) add((await readSlot(deps.store, entry.runConfiguration, index)).record?.lastRun);
  }
  return [...runs.values()];
}
