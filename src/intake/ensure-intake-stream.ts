/**
 * Sets up the JetStream intake's stream and its durable consumer. The stream is a work queue (an
 * event's message is removed once acked, so the stream holds exactly the events not yet done or
 * dead), file-stored, with the duplicate window that answers a redelivered event id as a duplicate,
 * and the backlog bounds as its limits with discard-new: over them a publish is refused, never an
 * older event dropped. An existing stream is brought to these limits; one that is not a work queue
 * is refused (it would keep done events forever). The consumer acks explicitly and never gives up
 * delivering: an event's age, not a count, ends its retries.
 */
import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { RunbridgeError } from '../errors.ts';

export interface IntakeStreamSpec {
  readonly stream: string;
  readonly subject: string;
  readonly durable: string;
  readonly duplicateWindowMs: number;
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly replicas: number;
  /** How long JetStream waits for an ack (the handler says it is still working meanwhile). */
  readonly ackWaitMs: number;
}

export async function ensureIntakeStream(jsm: JetStreamManager, spec: IntakeStreamSpec): Promise<void> {
  const where = `JetStream stream ${spec.stream}`;
  const limits = { max_msgs: spec.maxMessages, max_bytes: spec.maxBytes, duplicate_window: nanos(spec.duplicateWindowMs), discard: DiscardPolicy.New };
  const current = await found(() => jsm.streams.info(spec.stream), JetStreamApiCodes.StreamNotFound, `reading ${where}`);
  if (!current) {
    await failing(
      () => jsm.streams.add({ name: spec.stream, subjects: [spec.subject], storage: StorageType.File, retention: RetentionPolicy.Workqueue, num_replicas: spec.replicas, ...limits }),
      `creating ${where}`,
    );
  } else {
    const config = current.config;
    if (config.retention !== RetentionPolicy.Workqueue) {
      throw new RunbridgeError('RB_NATS_STREAM', 503, `${where} exists with retention ${config.retention}: the intake needs a work-queue stream of its own (choose another intake.stream)`);
    }
    const differs = config.max_msgs !== limits.max_msgs || config.max_bytes !== limits.max_bytes || config.duplicate_window !== limits.duplicate_window || config.discard !== limits.discard;
    const subjects = config.subjects.includes(spec.subject) ? config.subjects : [...config.subjects, spec.subject];
    if (differs || subjects !== config.subjects) await failing(() => jsm.streams.update(spec.stream, { ...limits, subjects }), `updating ${where}`);
  }
  const wanted = { ack_wait: nanos(spec.ackWaitMs), max_deliver: -1, filter_subject: spec.subject };
  const consumer = await found(() => jsm.consumers.info(spec.stream, spec.durable), JetStreamApiCodes.ConsumerNotFound, `reading consumer ${spec.durable} of ${where}`);
  if (!consumer) {
    await failing(
      () => jsm.consumers.add(spec.stream, { durable_name: spec.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ...wanted }),
      `creating consumer ${spec.durable} on ${where}`,
    );
  } else if (consumer.config.ack_wait !== wanted.ack_wait || consumer.config.max_deliver !== wanted.max_deliver || consumer.config.filter_subject !== wanted.filter_subject) {
    await failing(() => jsm.consumers.update(spec.stream, spec.durable, wanted), `updating consumer ${spec.durable} on ${where}`);
  }
}

async function found<T>(call: () => Promise<T>, notFound: number, what: string): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === notFound) return undefined;
    throw failure(what, error);
  }
}

async function failing<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw failure(what, error);
  }
}

function failure(what: string, error: unknown): RunbridgeError {
  return new RunbridgeError('RB_NATS_STREAM', 503, `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
