/**
 * Parameters that resolve from the event: a `payload` path must parse, and a named event field
 * that only some triggers provide (`sha` from git, `scheduledTime` from schedules, `upstreamRunId`
 * from completions) without a `default` is flagged — the runs the other triggers start would fail
 * with "Unable to resolve parameters".
 */
import type { TriggerType } from '../events/event.ts';
import { parsePayloadPath } from '../triggers/payload-path.ts';
import type { EventField, RunConfiguration } from './schema.ts';
import type { Report } from './report.ts';

const FIELD_TRIGGER: Partial<Record<EventField, TriggerType>> = {
  scheduledTime: 'schedule',
  upstreamRunName: 'runConfiguration',
  upstreamRunId: 'runConfiguration',
  upstreamStatus: 'runConfiguration',
};
const ENVELOPE_FIELDS = new Set<EventField>(['id', 'source', 'type', 'time', 'trigger']);
const TRIGGER_NAMES: Record<TriggerType, string> = { git: 'git', schedule: 'schedule', runConfiguration: 'upstream', manual: 'manual' };

export function validateParameters(rc: RunConfiguration, path: string, report: Report): void {
  const triggers: TriggerType[] = [
    ...(rc.triggers.git.length ? (['git'] as const) : []),
    ...(rc.triggers.schedules.length ? (['schedule'] as const) : []),
    ...(rc.triggers.runConfigurations.length ? (['runConfiguration'] as const) : []),
  ];
  rc.parameters.forEach((parameter, index) => {
    if (!('valueFrom' in parameter)) return;
    const at = `${path}.parameters[${index}].valueFrom`;
    const { valueFrom } = parameter;
    if ('payload' in valueFrom) {
      const parsed = parsePayloadPath(valueFrom.payload);
      if (!Array.isArray(parsed)) report.error(`${at}.payload`, parsed.error);
    } else if ('event' in valueFrom && parameter.default === undefined && !ENVELOPE_FIELDS.has(valueFrom.event)) {
      const provider = FIELD_TRIGGER[valueFrom.event] ?? 'git';
      const others = triggers.filter((t) => t !== provider);
      if (others.length > 0) {
        report.warning(
          `${at}.event`,
          `${valueFrom.event} is set only by ${TRIGGER_NAMES[provider]} events; runs started by ${others.map((t) => TRIGGER_NAMES[t]).join(' and ')} triggers fail to resolve it unless the parameter has a default`,
        );
      }
    }
  });
}
