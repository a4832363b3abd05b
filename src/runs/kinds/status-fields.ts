/** Small readers for the loosely typed status objects engines write (see the kinds in this folder). */
import type { Artifact } from '../../events/event.ts';
import type { RunPhase } from '../run-status.ts';

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A non-empty string, else undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The `status` of the condition of this type (`True`, `False`, `Unknown`), with its message. */
export function condition(status: Record<string, unknown>, type: string): { status?: string; message?: string } {
  const conditions = Array.isArray(status['conditions']) ? (status['conditions'] as unknown[]) : [];
  const found = record(conditions.find((c) => record(c)['type'] === type));
  const value = text(found['status']);
  const message = text(found['message']);
  return { ...(value ? { status: value } : {}), ...(message ? { message } : {}) };
}

/** `True` → succeeded, `False` → failed, anything else (absent, `Unknown`) → running. */
export function phaseOfCondition(status: string | undefined): RunPhase {
  return status === 'True' ? 'succeeded' : status === 'False' ? 'failed' : 'running';
}

/** `[{name, value}]` entries whose value is text, as artifacts (`location` = the value). */
export function namedValues(list: unknown): Artifact[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const name = text(record(item)['name']);
    const value = record(item)['value'];
    return name && typeof value === 'string' ? [{ name, location: value }] : [];
  });
}

/** Start and end as most engines write them: `startTime`/`startedAt`, `completionTime`/`completedAt`. */
export function commonTimes(status: Record<string, unknown>): { startTime: unknown; endTime: unknown } {
  return { startTime: text(status['startTime']) ?? status['startedAt'], endTime: text(status['completionTime']) ?? status['completedAt'] };
}

/** The optional fields of a RunStatus, left out when absent. */
export function optional(fields: { startTime?: unknown; endTime?: unknown; message?: unknown }): { startTime?: string; endTime?: string; message?: string } {
  const startTime = text(fields.startTime);
  const endTime = text(fields.endTime);
  const message = text(fields.message);
  return { ...(startTime ? { startTime } : {}), ...(endTime ? { endTime } : {}), ...(message ? { message } : {}) };
}
