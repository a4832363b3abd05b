/**
 * Whether a due slot is started or skipped, from how late it is. One rule with two defaults:
 *
 * - With `startingDeadlineSeconds`, a slot starts when it is at most that late, else it is
 *   skipped (`skipped_deadline`), as a Kubernetes CronJob does.
 * - Without it, `catchUp` decides: `none` starts a slot only on time (within `onTimeGraceMs`, which
 *   absorbs a busy event loop or a leader handover), so slots that passed while runbridge was down
 *   are `missed`; `latest` starts the most recent missed slot however late.
 *
 * Only the most recent due slot is ever considered: older missed slots are never started, so a
 * long downtime ends in at most one run, never a storm.
 */
import type { Schedule } from '../../config/schema.ts';

export type SlotPlan =
  | { readonly action: 'fire'; readonly slot: Date; readonly lateMs: number }
  | { readonly action: 'skip'; readonly slot: Date; readonly outcome: 'skipped_deadline' | 'missed'; readonly reason: string };

export function planSlot(
  slot: Date,
  now: Date,
  schedule: Pick<Schedule, 'catchUp' | 'startingDeadlineSeconds'>,
  onTimeGraceMs: number,
): SlotPlan {
  const lateMs = Math.max(0, now.getTime() - slot.getTime());
  const late = `${Math.round(lateMs / 1000)}s late`;
  if (schedule.startingDeadlineSeconds !== undefined) {
    if (lateMs <= schedule.startingDeadlineSeconds * 1000) return { action: 'fire', slot, lateMs };
    return { action: 'skip', slot, outcome: 'skipped_deadline', reason: `${late}, past startingDeadlineSeconds (${schedule.startingDeadlineSeconds})` };
  }
  if (lateMs <= onTimeGraceMs || schedule.catchUp === 'latest') return { action: 'fire', slot, lateMs };
  return { action: 'skip', slot, outcome: 'missed', reason: `${late}: missed while runbridge was not firing (catchUp: none)` };
}
