/**
 * Takes the intake's messages from its durable consumer, up to `concurrency` handled at once, in
 * the background. When consuming breaks (the consumer or stream deleted, JetStream away), the
 * stream and consumer are set up again after a growing pause; `problem()` says why meanwhile.
 * NATS disconnects are the connection's business: it reconnects and the consumer resumes.
 *
 *   const consuming = consumeIntakeStream({ js, stream, durable, concurrency: 16, handle, setUp, logger });
 *   await consuming.stop();   // takes no more messages; those being handled finish
 */
import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { delay } from '../delay.ts';
import { createHandlingWindow } from '../sources/completions/handling-window.ts';

export interface ConsumeIntakeOptions {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly durable: string;
  readonly concurrency: number;
  /** Settles the message (ack, nak or term); never throws. Messages of one event id are handled one after another. */
  readonly handle: (msg: JsMsg) => Promise<void>;
  /** Sets the stream and consumer up again after consuming broke. */
  readonly setUp: () => Promise<void>;
  readonly isClosed: () => boolean;
  readonly logger: Logger;
}

export interface ConsumingIntake {
  /** Why messages are not being taken now; undefined while they are. */
  problem(): string | undefined;
  /** Stops taking messages; resolves once those taken are handled. */
  stop(): Promise<void>;
}

const MAX_PAUSE_MS = 30_000;

export function consumeIntakeStream(options: ConsumeIntakeOptions): ConsumingIntake {
  const { js, stream, durable, logger } = options;
  const name = `${stream}/${durable}`;
  const window = createHandlingWindow(options.concurrency);
  let stopping = false;
  let messages: ConsumerMessages | undefined;
  let problem: string | undefined = 'not consuming yet';
  let wake: (() => void) | undefined;

  const watch = async (current: ConsumerMessages): Promise<void> => {
    for await (const status of current.status()) {
      if (status.type === 'heartbeats_missed') problem = `JetStream consumer ${name}: ${status.count} heartbeats missed`;
      else if (status.type === 'heartbeat' || status.type === 'next') problem = undefined;
      else if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found' || status.type === 'stream_not_found') {
        problem = `JetStream consumer ${name}: ${status.type.replaceAll('_', ' ')}`;
        void current.close();
      }
    }
  };

  const consume = async (): Promise<void> => {
    const consumer = await js.consumers.get(stream, durable);
    const current = await consumer.consume({ max_messages: options.concurrency });
    messages = current;
    if (stopping) await current.close();
    void watch(current).catch(() => undefined);
    problem = undefined;
    for await (const msg of current) {
      // Taken after stop was asked for: back to the stream at once, for another replica.
      if (stopping) msg.nak();
      else await window.admit(idOf(msg), () => options.handle(msg));
    }
  };

  const loop = (async () => {
    let failures = 0;
    while (!stopping && !options.isClosed()) {
      try {
        if (failures > 0) await options.setUp();
        await consume();
        if (stopping || options.isClosed()) break;
        problem ??= `JetStream consumer ${name} stopped delivering`;
      } catch (error) {
        problem = `JetStream consumer ${name}: ${error instanceof Error ? error.message : String(error)}`;
        if (stopping || options.isClosed()) break;
      }
      failures++;
      const delayMs = Math.min(MAX_PAUSE_MS, 1_000 * 2 ** Math.min(failures - 1, 10));
      logger.warn({ stream, durable, reason: problem, delayMs }, 'consuming the intake stream broke; starting again after a pause');
      const pause = delay(delayMs);
      wake = pause.wake;
      await pause.done;
      wake = undefined;
    }
  })();

  return {
    problem: () => (stopping ? 'stopped' : problem),
    async stop() {
      stopping = true;
      wake?.();
      await messages?.close().catch(() => undefined);
      await loop;
      await window.idle();
    },
  };
}

/** The event id in the message header (the publish's Nats-Msg-Id), so one event's messages wait for each other. */
function idOf(msg: JsMsg): string {
  return msg.headers?.get('Nats-Msg-Id') || String(msg.seq);
}
