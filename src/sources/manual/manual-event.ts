/**
 * A "run now" request as an event for one run configuration. Its id is `manual-<Idempotency-Key>`
 * when the caller sent one (a retried request is the same event, hence the same run), else
 * `manual-<uuid>`; `manual.params` are the caller's parameter overrides.
 */
import { randomUUID } from 'node:crypto';
import type { RunbridgeEvent } from '../../events/event.ts';

export const MANUAL_SOURCE = 'manual';
export const MANUAL_TYPE = 'runbridge.manual.run';

export function manualEvent(input: {
  runConfiguration: string;
  params: Readonly<Record<string, string>>;
  idempotencyKey?: string | undefined;
  receivedAt: Date;
}): RunbridgeEvent {
  const params = { ...input.params };
  return {
    id: `manual-${input.idempotencyKey ?? randomUUID()}`,
    source: MANUAL_SOURCE,
    type: MANUAL_TYPE,
    time: input.receivedAt.toISOString(),
    trigger: 'manual',
    target: input.runConfiguration,
    data: { runConfiguration: input.runConfiguration, params },
    manual: { params },
  };
}
