/**
 * Completions on core NATS (subject `events` by default, where KFP-Operator publishes), in the
 * queue group `runbridge` so that each event reaches one replica. Core NATS keeps nothing: what is
 * published while runbridge is down, or fails to be handled, is gone (the failure is logged). Use
 * the JetStream consumer where that matters. A request (a message with a reply subject) gets the
 * verdict as its reply.
 *
 * Up to `concurrency` completions are handled at once (handling-window.ts); completions of the same
 * run are handled one after another, in the order they arrived.
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import type { RunbridgeEvent } from '../../events/event.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import { completionOrderKey } from './completion-order-key.ts';
import { runHandler, type HandleCompletionEvent } from './handle-completion-event.ts';
import { createHandlingWindow } from './handling-window.ts';
import { natsMessageHeaders } from './nats-message-headers.ts';
import { readCompletion, type CompletionSourceContext } from './read-completion.ts';

export interface CoreNatsSourceOptions extends CompletionSourceContext {
  readonly nc: NatsConnection;
  readonly subject: string;
  readonly handle: HandleCompletionEvent;
  /** Queue group shared by the replicas; `runbridge` by default. */
  readonly queue?: string;
  /** Completions handled at once; DEFAULT_CONCURRENCY by default. */
  readonly concurrency?: number;
}

export interface RunningSource {
  /** Stops taking messages and waits for those being handled. */
  stop(): Promise<void>;
}

export const QUEUE_GROUP = 'runbridge';

/** Completions a NATS source handles at once, unless told otherwise. */
export const DEFAULT_CONCURRENCY = 256;

/** Resolves once the server has the subscription (a flush), so nothing published after that is missed. */
export async function startCoreNatsSource(options: CoreNatsSourceOptions): Promise<RunningSource> {
  const { nc, subject, logger } = options;
  const subscription = nc.subscribe(subject, { queue: options.queue ?? QUEUE_GROUP });
  logger.info({ [LogKeys.source]: 'nats', subject, queue: options.queue ?? QUEUE_GROUP }, 'taking completions from core NATS (nothing is kept while runbridge is down)');

  const window = createHandlingWindow(options.concurrency ?? DEFAULT_CONCURRENCY);

  const receive = async (msg: Msg): Promise<void> => {
    const where = { subject: msg.subject };
    const read = readCompletion({ headers: natsMessageHeaders(msg.headers), body: msg.string() }, 'nats', options, where);
    if (!read.ok) {
      reply(msg, { status: read.error.status, error: { code: read.error.code, message: read.error.message } });
      return;
    }
    const { event } = read;
    await window.admit(completionOrderKey(event), () => handle(msg, event, where).catch((error: unknown) => failed(msg, error)));
  };

  const handle = async (msg: Msg, event: RunbridgeEvent, where: { subject: string }): Promise<void> => {
    const result = await runHandler(options.handle, event);
    if (!result.handled) {
      logger.error(
        { [LogKeys.eventId]: event.id, [LogKeys.source]: 'nats', [LogKeys.reason]: result.reason, err: result.error, ...where },
        'completion from core NATS failed and will not be delivered again (use a JetStream consumer to keep it)',
      );
    }
    reply(msg, { eventId: event.id, status: result.verdict?.status ?? 503, ...(result.verdict?.body !== undefined ? { outcome: result.verdict.body } : {}) });
  };

  const failed = (msg: Msg, error: unknown): void => {
    logger.error({ err: error, [LogKeys.source]: 'nats', subject: msg.subject }, 'completion message could not be handled');
  };

  const loop = (async () => {
    for await (const msg of subscription) {
      try {
        await receive(msg);
      } catch (error) {
        failed(msg, error);
      }
    }
  })();

  await nc.flush();
  return {
    async stop() {
      if (!subscription.isClosed() && !nc.isClosed()) await subscription.drain().catch(() => undefined);
      await loop;
      await window.idle();
    },
  };
}

function reply(msg: Msg, answer: object): void {
  // Bytes made here (Node's buffer pool) rather than by the client's TextEncoder, which costs more.
  if (msg.reply) msg.respond(Buffer.from(JSON.stringify(answer), 'utf8'));
}
