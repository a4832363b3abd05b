/**
 * One JetStream delivery, settled: acked (and the ack confirmed) once the handler has handled the
 * event; nak'ed with a growing delay when it failed, so JetStream delivers it again; terminated when
 * it is malformed (no delivery will fix it) or failed on its last allowed delivery. While the handler
 * works, the ack deadline is pushed back (`working()`), so a slow submission is not redelivered
 * underneath itself. Reading (`readJetStreamMessage`) and settling (`settleJetStreamMessage`) are
 * apart so that the source can order deliveries by run between the two.
 */
import type { JsMsg } from '@nats-io/jetstream';
import type { RunbridgeEvent } from '../../events/event.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import { runHandler, type HandleCompletionEvent } from './handle-completion-event.ts';
import { natsMessageHeaders } from './nats-message-headers.ts';
import { readCompletion, type CompletionSourceContext } from './read-completion.ts';
import { redeliveryDelay, type RedeliveryBackoff } from './redelivery-delay.ts';

export interface JetStreamDeliveryOptions extends CompletionSourceContext {
  readonly handle: HandleCompletionEvent;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  readonly redelivery: RedeliveryBackoff;
}

export type Settlement = 'acked' | 'nak' | 'terminated';

/** The delivery's event, or undefined when it was malformed (and terminated). */
export function readJetStreamMessage(msg: JsMsg, options: CompletionSourceContext): RunbridgeEvent | undefined {
  const where = { subject: msg.subject, streamSequence: msg.seq, deliveryCount: msg.info.deliveryCount };
  const read = readCompletion({ headers: natsMessageHeaders(msg.headers), body: msg.string() }, 'nats', options, where);
  if (read.ok) return read.event;
  msg.term(`malformed completion: ${read.error.message}`.slice(0, 200));
  return undefined;
}

/** Hands a read event to the handler, then acks, naks or terminates its delivery. */
export async function settleJetStreamMessage(msg: JsMsg, event: RunbridgeEvent, options: JetStreamDeliveryOptions): Promise<Settlement> {
  const { logger } = options;
  const deliveryCount = msg.info.deliveryCount;
  const where = { subject: msg.subject, streamSequence: msg.seq, deliveryCount };
  const log = () => logger.child({ [LogKeys.eventId]: event.id, [LogKeys.source]: 'nats', ...where });
  const keepAlive = setInterval(() => msg.working(), Math.max(100, Math.floor(options.ackWaitMs / 3)));
  const result = await runHandler(options.handle, event).finally(() => clearInterval(keepAlive));
  if (result.handled) {
    const confirmed = await msg.ackAck().catch(() => false);
    if (!confirmed) log().warn({}, 'completion handled, but JetStream did not confirm the ack: it may be delivered again (handling is idempotent)');
    return 'acked';
  }
  if (deliveryCount >= options.maxDeliver) {
    log().error({ [LogKeys.reason]: result.reason, err: result.error }, `completion failed on its last delivery (${deliveryCount} of ${options.maxDeliver}): giving up on it`);
    msg.term(`failed ${deliveryCount} times: ${result.reason}`.slice(0, 200));
    return 'terminated';
  }
  const delayMs = redeliveryDelay(deliveryCount, options.redelivery);
  log().warn({ [LogKeys.reason]: result.reason, err: result.error, delayMs }, 'completion failed; JetStream will deliver it again');
  msg.nak(delayMs);
  return 'nak';
}
