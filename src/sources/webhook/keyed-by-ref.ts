import { MalformedEventError } from '../../errors.ts';
import type { RunbridgeEvent } from '../../events/event.ts';
import type { WebhookEvents } from './webhook-source.ts';

/**
 * The ids of the events one delivery became: the delivery key for one event alone (as every
 * one-event delivery is keyed), `<delivery key>/<ref>` for each of several, so that a redelivery
 * finds each of them again. A ref named twice (no forge does) keeps its place in the key:
 * `<delivery key>/<ref>#2`.
 */
export function keyedByRef(deliveryKey: string, events: readonly Omit<RunbridgeEvent, 'id'>[]): WebhookEvents {
  const [first, ...others] = events;
  if (first === undefined) throw new MalformedEventError('the delivery carries no event');
  if (others.length === 0) return [{ id: deliveryKey, ...first }];
  const seen = new Map<string, number>();
  const keyed = (event: Omit<RunbridgeEvent, 'id'>): RunbridgeEvent => {
    const ref = event.git?.ref ?? '';
    const times = (seen.get(ref) ?? 0) + 1;
    seen.set(ref, times);
    return { id: `${deliveryKey}/${ref}${times === 1 ? '' : `#${times}`}`, ...event };
  };
  return [keyed(first), ...others.map(keyed)];
}
