/**
 * Makes sure the durable JetStream consumer runbridge reads completions from exists, with explicit
 * acks, the configured max deliveries and the completion subject as its filter. The stream is
 * created (file storage, the completion subject) when it is missing and `create` is set; an existing
 * stream is never changed. An existing consumer whose settings differ is updated in place, keeping
 * its position.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, StorageType, type ConsumerInfo, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { RunbridgeError } from '../../errors.ts';

export interface JetStreamConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  readonly subject: string;
  readonly create: boolean;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
}

export async function ensureJetStreamConsumer(jsm: JetStreamManager, spec: JetStreamConsumerSpec, logger: Logger): Promise<ConsumerInfo> {
  const { stream, durable, subject } = spec;
  const where = `JetStream stream ${stream}`;
  if (!(await exists(() => jsm.streams.info(stream), JetStreamApiCodes.StreamNotFound, where))) {
    if (!spec.create) {
      throw new RunbridgeError('RB_NATS_STREAM', 503, `${where} does not exist (completions.nats.jetstream.create is false): create it with subject ${subject}`);
    }
    await attempt(() => jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File }), `creating ${where}`);
    logger.info({ stream, subject }, 'created the JetStream stream for completions');
  }
  const wanted = { max_deliver: spec.maxDeliver, ack_wait: nanos(spec.ackWaitMs), filter_subject: subject };
  const current = await exists(() => jsm.consumers.info(stream, durable), JetStreamApiCodes.ConsumerNotFound, `consumer ${durable} of ${where}`);
  if (!current) {
    const created = await attempt(
      () => jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...wanted }),
      `creating consumer ${durable} on ${where}`,
    );
    logger.info({ stream, durable, subject, maxDeliver: spec.maxDeliver }, 'created the durable JetStream consumer for completions');
    return created;
  }
  const config = current.config;
  if (config.ack_policy !== AckPolicy.Explicit) {
    throw new RunbridgeError('RB_NATS_CONSUMER', 503, `consumer ${durable} of ${where} exists with ack policy ${config.ack_policy}: runbridge needs explicit acks (use another durable name)`);
  }
  if (config.max_deliver === wanted.max_deliver && config.ack_wait === wanted.ack_wait && config.filter_subject === subject) return current;
  const updated = await attempt(() => jsm.consumers.update(stream, durable, wanted), `updating consumer ${durable} on ${where}`);
  logger.info({ stream, durable, subject, maxDeliver: spec.maxDeliver }, 'updated the durable JetStream consumer for completions');
  return updated;
}

async function exists<T>(call: () => Promise<T>, notFound: number, what: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === notFound) return undefined;
    throw failure(`reading ${what}`, error);
  }
}

async function attempt<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw failure(what, error);
  }
}

function failure(what: string, error: unknown): RunbridgeError {
  return new RunbridgeError('RB_NATS_CONSUMER', 503, `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
