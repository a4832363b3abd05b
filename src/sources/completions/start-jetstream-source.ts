/**
 * Completions from a durable JetStream consumer: nothing published while runbridge is down or
 * restarting is lost, and a completion whose handling failed is delivered again. Up to
 * `concurrency` messages are handled at once, each acked once it is handled; deliveries that report
 * the same run are handled one after another, in stream order (handling-window.ts). If consuming breaks (the consumer or stream was deleted,
 * JetStream went away), the consumer is set up again with a growing pause, and readiness says why
 * meanwhile. NATS disconnects are the connection's business: it reconnects forever, and the
 * consumer resumes where it was.
 */
import { delay } from '../../delay.ts';
import { jetstream, jetstreamManager, type ConsumerMessages } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LogKeys } from '../../observability/log-keys.ts';
import { ensureJetStreamConsumer, type JetStreamConsumerSpec } from './ensure-jetstream-consumer.ts';
import type { HandleCompletionEvent } from './handle-completion-event.ts';
import { readJetStreamMessage, settleJetStreamMessage } from './handle-jetstream-message.ts';
import { completionOrderKey } from './completion-order-key.ts';
import { createHandlingWindow } from './handling-window.ts';
import type { CompletionSourceContext } from './read-completion.ts';
import { DEFAULT_REDELIVERY, type RedeliveryBackoff } from './redelivery-delay.ts';
import { DEFAULT_CONCURRENCY, type RunningSource } from './start-core-nats-source.ts';

export interface JetStreamSourceOptions extends CompletionSourceContext, Omit<JetStreamConsumerSpec, 'ackWaitMs'> {
  readonly nc: NatsConnection;
  readonly handle: HandleCompletionEvent;
  /** How long JetStream waits for an ack before delivering again; 30 s by default. */
  readonly ackWaitMs?: number;
  /** Nak delays; 1 s doubling up to 60 s by default. */
  readonly redelivery?: RedeliveryBackoff;
  /** Messages pulled ahead; 10 by default. */
  readonly batch?: number;
  /** Messages handled at once; DEFAULT_CONCURRENCY by default. */
  readonly concurrency?: number;
  /** Pause before setting the consumer up again after consuming broke: doubling from this, up to 30 s; 1 s by default. */
  readonly restartDelayMs?: number;
}

export interface JetStreamSource extends RunningSource {
  /** Why completions are not being consumed now; empty while consuming. */
  problems(): string[];
}

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Sets the stream and consumer up (failing startup when that fails), then consumes in the
 * background; resolves once consuming has begun or its first attempt failed (readiness says why).
 */
export async function startJetStreamSource(options: JetStreamSourceOptions): Promise<JetStreamSource> {
  const { nc, stream, durable, logger } = options;
  const spec: JetStreamConsumerSpec = { ...options, ackWaitMs: options.ackWaitMs ?? 30_000 };
  const jsm = await jetstreamManager(nc);
  await ensureJetStreamConsumer(jsm, spec, logger);
  const js = jetstream(nc);
  const delivery = { ...options, ackWaitMs: spec.ackWaitMs, redelivery: options.redelivery ?? DEFAULT_REDELIVERY };
  const name = `${stream}/${durable}`;
  let stopping = false;
  let messages: ConsumerMessages | undefined;
  let problem: string | undefined = 'not consuming yet';
  let wake: (() => void) | undefined;
  const window = createHandlingWindow(options.concurrency ?? DEFAULT_CONCURRENCY);
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });

  const watchStatus = async (current: ConsumerMessages): Promise<void> => {
    for await (const status of current.status()) {
      if (status.type === 'heartbeats_missed') problem = `JetStream consumer ${name}: ${status.count} heartbeats missed`;
      else if (status.type === 'heartbeat' || status.type === 'next') problem = undefined;
      else if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found' || status.type === 'stream_not_found') {
        problem = `JetStream consumer ${name}: ${status.type.replaceAll('_', ' ')}`;
        logger.warn({ stream, durable, status: status.type }, 'JetStream consumer for completions is gone; setting it up again');
        void current.close();
      }
    }
  };

  const consume = async (): Promise<void> => {
    const consumer = await js.consumers.get(stream, durable);
    const current = await consumer.consume({ max_messages: options.batch ?? 10 });
    messages = current;
    if (stopping) await current.close();
    void watchStatus(current).catch(() => undefined);
    problem = undefined;
    markStarted();
    for await (const msg of current) {
      if (stopping) {
        msg.nak();
        continue;
      }
      const failed = (error: unknown): void => {
        // Never a reason to stop consuming: JetStream delivers the message again later.
        logger.error({ err: error, stream, durable, streamSequence: msg.seq }, 'completion message could not be handled; it will be delivered again');
        msg.nak(delivery.redelivery.capMs);
      };
      try {
        const event = readJetStreamMessage(msg, delivery);
        if (event !== undefined) {
          await window.admit(completionOrderKey(event), () => settleJetStreamMessage(msg, event, delivery).then(() => undefined, failed));
        }
      } catch (error) {
        failed(error);
      }
    }
  };

  const loop = (async () => {
    let failures = 0;
    logger.info({ [LogKeys.source]: 'nats', stream, durable, subject: options.subject }, 'taking completions from a durable JetStream consumer');
    // A closed connection (the daemon shut down) ends consuming for good.
    while (!stopping && !nc.isClosed()) {
      try {
        if (failures > 0) await ensureJetStreamConsumer(jsm, spec, logger);
        await consume();
        if (stopping || nc.isClosed()) break;
        problem ??= `JetStream consumer ${name} stopped delivering`;
      } catch (error) {
        problem = `JetStream consumer ${name}: ${error instanceof Error ? error.message : String(error)}`;
        markStarted();
        if (stopping || nc.isClosed()) break;
      }
      failures++;
      const delayMs = Math.min(MAX_RESTART_DELAY_MS, (options.restartDelayMs ?? 1_000) * 2 ** Math.min(failures - 1, 10));
      logger.warn({ stream, durable, [LogKeys.reason]: problem, delayMs }, 'consuming completions from JetStream broke; starting again after a pause');
      const pause = delay(delayMs);
      wake = pause.wake;
      await pause.done;
      wake = undefined;
    }
    markStarted();
  })();
  // Consuming (or the reason it is not) before the source counts as started, so readiness is right at once.
  await started;

  return {
    problems: () => (stopping || nc.isClosed() ? ['JetStream consumer stopped'] : problem === undefined ? [] : [problem]),
    async stop() {
      stopping = true;
      wake?.();
      await messages?.close().catch(() => undefined);
      await loop;
      await window.idle();
    },
  };
}
