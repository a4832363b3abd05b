/**
 * Fires a slot this process has claimed: the concurrency policy first, then the tick goes to the
 * intake (stored there before anything that can fail for a passing reason), then the record says
 * how it went. Its run created within the intake's answer bound: `fired`. A failure that may pass
 * (the API server down): the intake keeps the tick and tries it again with backoff; the slot stays
 * `claimed` and `accepted`, and the scheduler looks again later (the same event id, so a look that
 * finds the run, or hands the tick to the intake once more, never makes a second one). A permanent
 * failure (a template that cannot render, a kind the API server does not serve): the tick is a
 * dead letter in the intake (`runbridge retry` after the fix) and the slot is `failed`. Only when
 * the intake cannot store the tick (503) is nothing accepted: the slot stays claimed, not accepted.
 */
import { LogKeys } from '../../observability/log-keys.ts';
import type { RunRef } from '../../runs/run-ref.ts';
import { IntakeUnavailableError } from '../../errors.ts';
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
    // The policy decides once, before the intake has the tick: a tick it stored will run whatever
    // a later look would decide, so a later look only confirms it.
    if (!record.accepted) {
      const decision = await applyConcurrencyPolicy(entry.schedule.concurrencyPolicy, await previousRuns(entry, record, deps), deps);
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
    }
    if (!deps.isLeader()) {
      log.warn({ slot: record.slot }, 'leadership lost before dispatch: the slot stays claimed for the next leader');
      return { stored: claimed };
    }
    const submitted = await deps.accept(tickEvent(entry.runConfiguration, entry.index, entry.schedule, slot));
    const result = submitted.answer?.matched.find((m) => m.runConfiguration === entry.runConfiguration);
    if (submitted.state === 'done' && result?.run) {
      countSlot(deps, entry, 'fired');
      log.info({ slot: record.slot, local: entry.compiled.localTime(slot), run: result.run.name, created: result.run.created }, 'schedule slot fired');
      return { stored: await update({ state: 'fired', attempts, lastRun: runRefOf(result.run) }) };
    }
    if (submitted.state === 'pending') return await retryLater(result?.error?.message ?? submitted.record.reason ?? 'its run is not created yet', true);
    const reason = result?.error?.message ?? (submitted.state === 'dead' ? submitted.record.reason : undefined) ?? 'the run configuration did not take the tick';
    countSlot(deps, entry, 'failed');
    log.error({ slot: record.slot, [LogKeys.reason]: reason }, submitted.state === 'dead' ? 'schedule slot failed: its tick is a dead letter (`runbridge retry` after the fix)' : 'schedule slot failed');
    return { stored: await update({ state: 'failed', attempts, reason }) };
  } catch (error) {
    if (error instanceof StateConflictError) throw error;
    // Not stored (the intake refused it, 503) or not handed over at all: nothing was accepted.
    return await retryLater(error instanceof Error ? error.message : String(error), record.accepted === true && !(error instanceof IntakeUnavailableError));
  }

  async function retryLater(reason: string, accepted: boolean): Promise<FireResult> {
    const retryAt = deps.clock().getTime() + deps.retryDelayMs(attempts);
    log.warn({ slot: record.slot, attempts, accepted, retryAt: new Date(retryAt).toISOString(), [LogKeys.reason]: reason }, accepted ? 'schedule slot pending in the intake, which tries it again; will look again' : 'schedule slot not fired yet; will try again');
    return { stored: await update({ attempts, reason, ...(accepted ? { accepted: true } : {}) }), retryAt };
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
