/** One readable line per git trigger and schedule, for /status. */
import type { GitTrigger, Schedule } from '../../config/schema.ts';

export function describeGitTrigger(trigger: GitTrigger): string {
  const list = (values: string | readonly string[] | undefined): string | undefined =>
    values === undefined ? undefined : typeof values === 'string' ? values : values.join(',');
  const parts = [
    trigger.events.join(','),
    list(trigger.repository),
    ...(['actions', 'branches', 'tags', 'paths'] as const).map((field) => {
      const value = list(trigger[field]);
      return value === undefined ? undefined : `${field}=${value}`;
    }),
    trigger.when === undefined ? undefined : `when ${trigger.when}`,
  ];
  return parts.filter((p) => p !== undefined).join(' ');
}

export function describeSchedule(schedule: Schedule): string {
  return `${schedule.cron} ${schedule.timezone}${schedule.suspend ? ' (suspended)' : ''}`;
}
