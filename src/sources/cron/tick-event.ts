/**
 * One schedule slot as an event. Its id, `<namespace>/<name>@<slot>`, is the same whichever
 * replica or restart produces it, so the dispatcher's deterministic run name turns a duplicate
 * tick into the run that already exists. `time` is the slot, not the moment the tick was handled.
 */
import type { RunbridgeEvent } from '../../events/event.ts';
import type { Schedule } from '../../config/schema.ts';

export const TICK_SOURCE = 'cron';
export const TICK_TYPE = 'runbridge.schedule.tick';

export function tickEventId(runConfiguration: string, slot: Date): string {
  return `${runConfiguration}@${slot.toISOString()}`;
}

export function tickEvent(runConfiguration: string, index: number, schedule: Pick<Schedule, 'cron' | 'timezone'>, slot: Date): RunbridgeEvent {
  const facts = { runConfiguration, slot: slot.toISOString(), timezone: schedule.timezone, cron: schedule.cron };
  return {
    id: tickEventId(runConfiguration, slot),
    source: TICK_SOURCE,
    type: TICK_TYPE,
    time: facts.slot,
    trigger: 'schedule',
    target: runConfiguration,
    data: { ...facts, schedule: index },
    schedule: facts,
  };
}
