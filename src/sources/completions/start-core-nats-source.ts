/**
 * Completions on core NATS (subject `events` by default, where KFP-Operator publishes), in the
 * queue group `runbridge` so that each event reaches one replica. Core NATS keeps nothing: what is
 * published while runbridge is down, or fails to be handled, is gone (the failure is logged). Use
 * the JetStream consumer where that matters. A request (a message with a reply subject) gets the
 * verdict as its reply.
 */
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { LogKeys } from '../../observability/log-keys.ts';
import { runHandler, type HandleCompletionEvent } from './handle-completion-event.ts';
import { natsMessageHeaders } from './nats-message-headers.ts';
import { readCompletion, type CompletionSourceContext } from './read-completion.ts';

export interface CoreNatsSourceOptions extends CompletionSourceContext {
  readonly nc: NatsConnection;
  readonly subject: string;
  readonly handle: HandleCompletionEvent;
  /** Queue group shared by the replicas; `runbridge` by default. */
  readonly queue?: string;
}

export interface RunningSource {
  /** Stops taking messages and waits for the one being handled. */
  stop(): Promise<void>;
}

export const QUEUE_GROUP = 'runbridge';

/** Resolves once the server has the subscription (a flush), so nothing published after that is missed. */
export async function startCoreNatsSource(options: CoreNatsSourceOptions): Promise<RunningSource> {
  const { nc, subject, logger } = options;
  const subscription = nc.subscribe(subject, { queue: options.queue ?? QUEUE_GROUP });
  logger.info({ [LogKeys.source]: 'nats', subject, queue: options.queue ?? QUEUE_GROUP }, 'taking completions from core NATS (nothing is kept while runbridge is down)');

  const receive = async (msg: Msg): Promise<void> => {
    const where = { subject: msg.subject };
    const read = readCompletion({ headers: natsMessageHeaders(msg.headers), body: msg.string() }, 'nats', options, where);
    if (!read.ok) {
      reply(msg, { status: read.error.status, error: { code: read.error.code, message: read.error.message } });
      return;
    }
    const { event } = read;
    const result = await runHandler(options.handle, event);
    if (!result.handled) {
      logger.error(
        { [LogKeys.eventId]: event.id, [LogKeys.source]: 'nats', [LogKeys.reason]: result.reason, err: result.error, ...where },
        'completion from core NATS failed and will not be delivered again (use a JetStream consumer to keep it)',
      );
    }
    reply(msg, { eventId: event.id, status: result.verdict?.status ?? 503, ...(result.verdict?.body !== undefined ? { outcome: result.verdict.body } : {}) });
  };

  const loop = (async () => {
    for await (const msg of subscription) {
      try {
        await receive(msg);
      } catch (error) {
        logger.error({ err: error, [LogKeys.source]: 'nats', subject: msg.subject }, 'completion message could not be handled');
      }
    }
  })();

  await nc.flush();
  return {
    async stop() {
      if (!subscription.isClosed() && !nc.isClosed()) await subscription.drain().catch(() => undefined);
      await loop;
    },
  };
}

function reply(msg: Msg, answer: object): void {
  if (msg.reply) msg.respond(JSON.stringify(answer));
}
