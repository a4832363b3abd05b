/**
 * Hands a delivery's events to the intake and answers for them all. One event: the intake's answer
 * (intakeResponse) or its refusal (503), as they are. Several (a push of several refs): all are
 * submitted at once, so that each is stored before any of them is waited for, and the answer
 * combines theirs (combinedIntakeResponse). If any could not be stored, the delivery is answered
 * 503 even though others were: the forge sends it again, and then the events stored the first
 * time are found by their keys (duplicates: nothing is done twice) and the others are stored.
 */
import { IntakeUnavailableError } from '../../errors.ts';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import { combinedIntakeResponse } from '../../server/combined-intake-response.ts';
import { intakeResponse, type IntakeBody } from '../../server/intake-response.ts';
import type { WebhookEvents } from './webhook-source.ts';

export async function acceptEvents(accept: AcceptEvent, deliveryKey: string, events: WebhookEvents, bodyBytes: number): Promise<{ status: number; body: IntakeBody }> {
  const [event, ...others] = events;
  // Each event is counted at the delivery's size: the backlog's byte bound errs on the safe side.
  if (others.length === 0) return intakeResponse(await accept(event, bodyBytes), event);
  const settled = await Promise.allSettled(events.map(async (e) => ({ event: e, submitted: await accept(e, bodyBytes) })));
  const refused = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  const [first, ...rest] = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (refused.length > 0 || first === undefined) throw partlyStored(refused, events.length);
  return combinedIntakeResponse(deliveryKey, [first, ...rest]);
}

/** The refusal to answer: an intake that could not store some of the events says how many it did store. */
function partlyStored(refused: readonly unknown[], total: number): unknown {
  const [first] = refused;
  const stored = total - refused.length;
  if (!(first instanceof IntakeUnavailableError) || stored === 0) return first;
  const message = `${first.message} (${stored} of the ${total} events of this delivery were stored, ${refused.length} not: sending it again is safe, the stored ones are found by their keys and not processed twice)`;
  return new IntakeUnavailableError(message, { retryAfterSeconds: first.retryAfterSeconds, cause: first });
}
