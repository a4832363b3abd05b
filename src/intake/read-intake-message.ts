/**
 * An intake stream message's event, as publish-intake-entry.ts wrote it; undefined for anything
 * else on the subject (it is dropped with a log line, never retried).
 */
import type { IntakeEntry } from './intake-record.ts';

export function readIntakeMessage(data: Uint8Array): IntakeEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, kind, event, acceptedAt } = value as Record<string, unknown>;
  if (typeof id !== 'string' || (kind !== 'dispatch' && kind !== 'completion') || typeof acceptedAt !== 'string' || Number.isNaN(Date.parse(acceptedAt))) return undefined;
  if (typeof event !== 'object' || event === null) return undefined;
  return { id, kind, event: event as IntakeEntry['event'], acceptedAt };
}
