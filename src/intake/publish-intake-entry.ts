/**
 * Stores an event in the JetStream intake: one message on the intake's subject, its id as
 * Nats-Msg-Id, resolved once JetStream has stored it (the PubAck). `duplicate`: JetStream had the
 * id within its duplicate window (a redelivery), and stored nothing. A refusal is an
 * IntakeUnavailableError (503): the backlog is over the stream's limits, or JetStream cannot be
 * reached; either way nothing was stored.
 */
import { JetStreamApiError, type JetStreamClient } from '@nats-io/jetstream';
import { IntakeUnavailableError } from '../errors.ts';
import type { IntakeEntry } from './intake-record.ts';

/** A PubAck takes milliseconds; a slower one means JetStream is in trouble, and the sender must hear in time. */
const PUBLISH_TIMEOUT_MS = 2_000;

export type Published = { readonly stored: true; readonly duplicate: boolean };

export async function publishIntakeEntry(js: JetStreamClient, subject: string, entry: IntakeEntry, msgID: string): Promise<Published> {
  try {
    const ack = await js.publish(subject, JSON.stringify(entry), { msgID, timeout: PUBLISH_TIMEOUT_MS });
    return { stored: true, duplicate: ack.duplicate };
  } catch (error) {
    if (backlogFull(error)) throw new IntakeUnavailableError("the intake's backlog is full (the JetStream stream's limits): try again later", { retryAfterSeconds: 30, cause: error });
    throw new IntakeUnavailableError('the intake cannot store events now: JetStream did not store the event', { retryAfterSeconds: 10, cause: error });
  }
}

/** The stream's limits with discard-new refuse the message (nats-server: JSStreamStoreFailed, "maximum … exceeded"). */
export function backlogFull(error: unknown): boolean {
  return error instanceof JetStreamApiError && /maximum (messages|bytes) exceeded|insufficient resources/i.test(error.message);
}
