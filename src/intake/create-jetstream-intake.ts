/**
 * The JetStream intake, shared by every replica (docs/adr/0009-durable-intake.md, "Replicas"). An
 * event is stored by publishing it to a work-queue stream with its id as Nats-Msg-Id, and
 * acknowledged once JetStream has it; the replica that took it then tries it at once, for the
 * answer. Every replica takes the stream's messages from one durable consumer with explicit acks:
 * an event done or dead is acked (removed from the stream), one failing for a passing reason is
 * nakked with its backoff delay. A replica that dies leaves its messages unacked, and JetStream
 * hands them to another. Records of what became of each event (done, dead with the event kept,
 * pending with why) are in the shared state store, so every replica answers a redelivery alike.
 *
 *   const intake = createJetStreamIntake({ nc, connected, spec, store, process, policy, answerWithinMs, logger });
 *
 * Two replicas may try one event at the same time (a redelivery to the other replica, an ack
 * deadline passed during a slow attempt): deterministic run names and submission records make the
 * second find what the first made. A fresh message waits out the accepting replica's answer window
 * before another replica tries it, so that is rare.
 */
import { jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { IntakeNotFoundError, IntakeUnavailableError } from '../errors.ts';
import { LogKeys } from '../observability/log-keys.ts';
import { answerDone, answerOf, firstAnswer, within } from './answer-within.ts';
import { consumeIntakeStream, type ConsumingIntake } from './consume-intake-stream.ts';
import { createAttempts, type AttemptOutcome } from './create-attempts.ts';
import { ensureIntakeStream, type IntakeStreamSpec } from './ensure-intake-stream.ts';
import { UNWRITABLE_FOR_MS, type Intake, type IntakeEngineOptions, type Submitted } from './intake.ts';
import { pendingRecord, type IntakeEntry, type IntakeRecord } from './intake-record.ts';
import type { IntakeStore, StoredIntakeRecord } from './intake-store.ts';
import { publishIntakeEntry } from './publish-intake-entry.ts';
import { readIntakeMessage } from './read-intake-message.ts';
import { createIntakeSnapshot } from './intake-snapshot.ts';

export interface JetStreamIntakeOptions<Answer> extends IntakeEngineOptions<Answer> {
  readonly nc: NatsConnection;
  /** False while the NATS connection is down: then nothing can be stored, and the intake says so at once. */
  readonly connected: () => boolean;
  readonly spec: IntakeStreamSpec;
  /** The shared state store's intake records. */
  readonly store: IntakeStore;
  /** Messages handled at once by this replica; 16 by default. */
  readonly concurrency?: number;
}

/** A fresh message waits this long past the accepting replica's answer window before another replica tries it. */
const FIRST_GO_MARGIN_MS = 1_000;

export function createJetStreamIntake<Answer>(options: JetStreamIntakeOptions<Answer>): Intake<Answer> {
  const { nc, spec, store, logger, policy } = options;
  const clock = options.clock ?? (() => new Date());
  const js = jetstream(nc);
  const attempts = createAttempts<Answer>({ ...options, clock });
  const snapshot = createIntakeSnapshot({ store, streamState: async () => (await manager()).streams.info(spec.stream).then((info) => info.state), clock });
  const unsettled = new Set<JsMsg>();
  let jsm: JetStreamManager | undefined;
  let consuming: ConsumingIntake | undefined;
  let stopped = false;
  let publishFailedAt = -Infinity;

  async function manager(): Promise<JetStreamManager> {
    jsm ??= await jetstreamManager(nc);
    return jsm;
  }

  const attemptNow = async (from: StoredIntakeRecord, duplicate: boolean): Promise<Submitted<Answer>> =>
    answerOf(await within(firstAnswer(attempts.run(from)), options.answerWithinMs), from.record, duplicate);

  /** What the stream's message asks for: skip it (done, dead), wait for its time, or try it now. */
  const handle = async (msg: JsMsg): Promise<void> => {
    const entry = readIntakeMessage(msg.data);
    if (!entry) {
      logger.error({ stream: spec.stream, streamSequence: msg.seq }, 'intake message is not an event; dropping it');
      msg.term('not an intake event');
      return;
    }
    unsettled.add(msg);
    try {
      await attempts.running(entry.id)?.finished;
      const stored = await store.get(entry.id);
      const record = stored?.record;
      if (record && record.state !== 'pending') return msg.ack();
      const firstGo = msg.info.deliveryCount === 1 ? Date.parse(entry.acceptedAt) + options.answerWithinMs + FIRST_GO_MARGIN_MS : 0;
      const wait = Math.max(firstGo, record?.nextAttemptAt ? Date.parse(record.nextAttemptAt) : 0) - clock().getTime();
      if (wait > 0) return msg.nak(wait);
      // Tell JetStream the message is being worked on, so a slow attempt is not handed to another replica.
      const working = setInterval(() => msg.working(), Math.max(1_000, spec.ackWaitMs / 3));
      let outcome: AttemptOutcome<Answer>;
      try {
        outcome = await attempts.run(stored ?? { record: pendingRecord(entry), revision: 0 }).finished;
      } finally {
        clearInterval(working);
      }
      settle(msg, outcome);
    } catch (error) {
      // The state store could not be read: try again shortly; the message stays in the stream.
      logger.warn({ [LogKeys.eventId]: entry.id, err: error }, 'intake message not handled; it will be delivered again');
      msg.nak(policy.initialDelayMs);
    } finally {
      unsettled.delete(msg);
    }
  };

  const settle = (msg: JsMsg, outcome: AttemptOutcome<Answer>): void => {
    if (!outcome.stored) return msg.nak(policy.initialDelayMs);
    if (outcome.record.state !== 'pending') {
      msg.ack();
      if (outcome.record.state === 'dead') snapshot.changed();
      return;
    }
    msg.nak(Math.max(0, Date.parse(outcome.record.nextAttemptAt ?? '') - clock().getTime()) || policy.initialDelayMs);
  };

  const refuse = (error: unknown): never => {
    options.observe?.({ kind: 'refused' });
    if (error instanceof IntakeUnavailableError && error.retryAfterSeconds < 30) publishFailedAt = clock().getTime();
    throw error;
  };

  const publish = async (entry: IntakeEntry, msgID: string) => {
    if (!options.connected()) return refuse(new IntakeUnavailableError('the intake cannot store events now: NATS is not connected', { retryAfterSeconds: 10 }));
    return publishIntakeEntry(js, spec.subject, entry, msgID).catch(refuse);
  };

  return {
    async start() {
      await ensureIntakeStream(await manager(), spec);
      consuming = consumeIntakeStream({
        js,
        stream: spec.stream,
        durable: spec.durable,
        concurrency: options.concurrency ?? 16,
        handle,
        setUp: async () => ensureIntakeStream(await manager(), spec),
        isClosed: () => nc.isClosed(),
        logger,
      });
      snapshot.changed();
      logger.info({ stream: spec.stream, durable: spec.durable, subject: spec.subject }, 'intake: taking events from the shared JetStream stream');
    },

    async submit(input) {
      if (stopped) throw new IntakeUnavailableError('runbridge is shutting down', { retryAfterSeconds: 5 });
      const entry: IntakeEntry = { ...input, acceptedAt: clock().toISOString() };
      const local = attempts.running(entry.id);
      if (local) return answerOf(await within(firstAnswer(local), options.answerWithinMs), pendingRecord(entry), true);
      const published = await publish(entry, entry.id);
      if (!published.duplicate) return attemptNow({ record: pendingRecord(entry), revision: 0 }, false);
      // A redelivery: answered with what became of the event, wherever it was accepted.
      const stored = await store.get(entry.id).catch(() => undefined);
      const record = stored?.record;
      if (record?.state === 'dead') return { state: 'dead', duplicate: true, record };
      if (record?.state === 'done') return answerDone(options.process, entry, record, options.answerWithinMs);
      return attemptNow(stored ?? { record: pendingRecord(entry), revision: 0 }, true);
    },

    async retry(id) {
      const stored = await store.get(id);
      const record = stored?.record;
      if (!stored || !record || record.state !== 'dead' || !record.event) throw new IntakeNotFoundError(`no dead letter with id ${JSON.stringify(id)}`);
      const revived: IntakeRecord = { id: record.id, kind: record.kind, state: 'pending', acceptedAt: clock().toISOString(), attempts: 0, event: record.event };
      const revision = await store.update(revived, stored.revision);
      try {
        // A message id of its own: the event's id may still be in the duplicate window.
        await publish({ id, kind: revived.kind, event: revived.event!, acceptedAt: revived.acceptedAt }, `${id}#retry@${revived.acceptedAt}`);
      } catch (error) {
        await store.update(record, revision).catch(() => undefined);
        throw error;
      }
      snapshot.changed();
      logger.info({ [LogKeys.eventId]: id }, 'dead letter taken back: processing it again');
      return attemptNow({ record: revived, revision }, false);
    },

    get: async (id) => (await store.get(id))?.record,
    backlog: () => snapshot.backlog(),
    pendingCount: () => snapshot.streamMessages(),
    writable: () => options.connected() && clock().getTime() - publishFailedAt > UNWRITABLE_FOR_MS,
    oldestPendingAgeMs: () => snapshot.oldestPendingAgeMs(),

    async stop(graceMs) {
      stopped = true;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([Promise.all([consuming?.stop(), Promise.allSettled(attempts.underWay())]), grace]);
      clearTimeout(timer);
      // Still being tried when the grace period ended: back to the stream for another replica.
      for (const msg of unsettled) msg.nak();
      unsettled.clear();
    },
  };
}
