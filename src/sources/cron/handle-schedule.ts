/**
 * One look at one schedule, by the process that fires ticks: finish a slot left claimed (crash,
 * failed attempt), then take the most recent due slot, if any: skip it or claim it with
 * compare-and-set and fire it. Returns when to look again (ms since the epoch; undefined: never).
 */
import { defaultRunName, findSubmission } from '../../dispatch/submission-record.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import { StateConflictError } from '../../state/store.ts';
import { fireSlot } from './fire-slot.ts';
import { planSlot } from './plan-slot.ts';
import { countSlot, type ScheduleEntry, type SchedulerDeps } from './schedule-entry.ts';
import { readSlot, runRefOf, writeSlot, type SlotRecord, type StoredSlot } from './slot-record.ts';
import { tickEventId } from './tick-event.ts';

export async function handleSchedule(entry: ScheduleEntry, deps: SchedulerDeps): Promise<number | undefined> {
  const now = deps.clock();
  entry.baseline ??= now;
  if (entry.schedule.suspend) return countSuspended(entry, now, deps);
  try {
    let stored = await readSlot(deps.store, entry.runConfiguration, entry.index);
    if (stored.record?.state === 'claimed') {
      const resumed = await resumeClaimed(entry, { ...stored, record: stored.record }, now, deps);
      if ('waitUntil' in resumed) return resumed.waitUntil;
      stored = resumed.stored;
    }
    entry.retryAt = undefined;
    const after = stored.record ? new Date(stored.record.slot) : entry.baseline;
    const due = entry.compiled.latest(now, after);
    if (!due) return entry.compiled.next(now > after ? now : after)?.getTime();
    if (!deps.isLeader()) return now.getTime();
    const plan = planSlot(due, now, entry.schedule, deps.onTimeGraceMs);
    const base: SlotRecord = {
      slot: due.toISOString(),
      eventId: tickEventId(entry.runConfiguration, due),
      state: 'claimed',
      attempts: 0,
      updatedAt: now.toISOString(),
      ...(stored.record?.lastRun ? { lastRun: stored.record.lastRun } : {}),
    };
    if (plan.action === 'skip') {
      await writeSlot(deps.store, entry.runConfiguration, entry.index, { ...base, state: 'skipped', reason: plan.reason }, stored.revision);
      countSlot(deps, entry, plan.outcome);
      deps.logger.info(
        { [LogKeys.eventId]: base.eventId, [LogKeys.runConfiguration]: entry.runConfiguration, slot: base.slot, [LogKeys.reason]: plan.reason },
        'schedule slot skipped',
      );
      return entry.compiled.next(now)?.getTime();
    }
    const claimed = await writeSlot(deps.store, entry.runConfiguration, entry.index, base, stored.revision);
    const fired = await fireSlot(entry, { ...claimed, record: base }, deps);
    entry.retryAt = fired.retryAt;
    return fired.retryAt ?? entry.compiled.next(now)?.getTime();
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
    // Another process took or finished the slot between our read and our write: look again soon.
    deps.logger.debug({ [LogKeys.runConfiguration]: entry.runConfiguration, index: entry.index }, 'schedule record changed concurrently');
    return now.getTime() + 1000;
  }
}

/** A slot claimed earlier and not known fired: confirm it, give it up, wait, or try it again. */
async function resumeClaimed(
  entry: ScheduleEntry,
  stored: StoredSlot & { record: SlotRecord },
  now: Date,
  deps: SchedulerDeps,
): Promise<{ stored: StoredSlot } | { waitUntil: number }> {
  const { record } = stored;
  const update = (changes: Partial<SlotRecord>): Promise<StoredSlot> =>
    writeSlot(deps.store, entry.runConfiguration, entry.index, { ...record, ...changes, updatedAt: now.toISOString() }, stored.revision);
  const log = deps.logger.child({ [LogKeys.eventId]: record.eventId, [LogKeys.runConfiguration]: entry.runConfiguration });
  const submission = await findSubmission(deps.store, record.eventId, entry.runConfiguration, defaultRunName(record.eventId, entry.runConfiguration));
  if (submission) {
    countSlot(deps, entry, 'fired');
    log.info({ slot: record.slot, run: submission.run.name }, 'schedule slot fired (confirmed from its submission record)');
    return { stored: await update({ state: 'fired', lastRun: runRefOf(submission.run) }) };
  }
  const slot = new Date(record.slot);
  const next = entry.compiled.next(slot);
  const deadline = entry.schedule.startingDeadlineSeconds;
  const giveUp =
    next !== undefined && next <= now
      ? 'the next slot is due'
      : deadline !== undefined && now.getTime() - slot.getTime() > deadline * 1000
        ? 'past startingDeadlineSeconds'
        : undefined;
  if (giveUp && record.accepted) {
    // The intake has the tick: its run is created as soon as it can be; the schedule moves on.
    countSlot(deps, entry, 'fired');
    const reason = `its tick is pending in the intake, which creates its run when it can (${giveUp}${record.reason ? `; last: ${record.reason}` : ''})`;
    log.warn({ slot: record.slot, [LogKeys.reason]: reason }, 'schedule slot handed to the intake');
    return { stored: await update({ state: 'fired', reason }) };
  }
  if (giveUp) {
    countSlot(deps, entry, 'failed');
    const reason = `given up after ${record.attempts} attempt(s): ${giveUp}${record.reason ? ` (last: ${record.reason})` : ''}`;
    log.error({ slot: record.slot, [LogKeys.reason]: reason }, 'schedule slot failed');
    return { stored: await update({ state: 'failed', reason }) };
  }
  if (entry.retryAt !== undefined && now.getTime() < entry.retryAt) return { waitUntil: entry.retryAt };
  if (!deps.isLeader()) return { waitUntil: now.getTime() };
  log.info({ slot: record.slot, attempts: record.attempts }, 'resuming a claimed schedule slot with the same event id');
  const fired = await fireSlot(entry, stored, deps);
  entry.retryAt = fired.retryAt;
  return fired.retryAt !== undefined ? { waitUntil: fired.retryAt } : { stored: fired.stored };
}

function countSuspended(entry: ScheduleEntry, now: Date, deps: SchedulerDeps): number | undefined {
  const due = entry.compiled.latest(now, entry.suspendedSeen ?? entry.baseline);
  if (due) {
    entry.suspendedSeen = due;
    countSlot(deps, entry, 'skipped_suspended');
    deps.logger.info(
      { [LogKeys.eventId]: tickEventId(entry.runConfiguration, due), [LogKeys.runConfiguration]: entry.runConfiguration, slot: due.toISOString() },
      'schedule slot skipped: the schedule is suspended',
    );
  }
  return entry.compiled.next(now)?.getTime();
}
