// The JetStream intake's own rules against a real nats-server: dead letters kept in the shared
// records and taken back by a republish, and the stream's limits refusing what is over them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { IntakeUnavailableError } from '../../src/errors.ts';
import type { AttemptResult } from '../../src/intake/attempt-result.ts';
import { createJetStreamIntake } from '../../src/intake/create-jetstream-intake.ts';
import type { IntakeEntry } from '../../src/intake/intake-record.ts';
import { stateIntakeStore } from '../../src/intake/intake-store.ts';
import { createNatsKvStore } from '../../src/state/nats-kv-store.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';

const event = (id: string) => ({ id, source: 'github', type: 'github.push', time: '2026-12-06T10:00:00.000Z', trigger: 'git' as const, data: {} });
const policy = { initialDelayMs: 50, maxDelayMs: 100, maxAgeMs: 60_000, random: () => 0.5 };
const logger = pino({ level: 'silent' });

describe('JetStream intake', { timeout: 60_000 }, () => {
  let nats: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    nats = await startNatsServer({ jetstream: true });
    nc = await connect({ servers: nats.url });
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const intakeWith = async (name: string, process: (entry: IntakeEntry) => Promise<AttemptResult<string>>, maxMessages = 100) => {
    const store = stateIntakeStore(await createNatsKvStore({ nc, bucket: `intake-${name}`, replicas: 1 }));
    const spec = { stream: `INTAKE_${name}`, subject: `intake.${name}`, durable: 'workers', duplicateWindowMs: 60_000, maxMessages, maxBytes: 1_000_000, replicas: 1, ackWaitMs: 5_000 };
    const intake = createJetStreamIntake<string>({ nc, connected: () => !nc.isClosed(), spec, store, process, policy, answerWithinMs: 500, logger });
    await intake.start();
    return intake;
  };

  test('a permanent failure is a dead letter kept with its event; retry republishes it and it runs', async () => {
    let fixed = false;
    const intake = await intakeWith('dead', async () => (fixed ? { result: 'done', answer: 'ran' } : { result: 'dead', reason: 'parameter image rejected', status: 422, answer: 'refused' }));
    const first = await intake.submit({ id: 'github:bad', kind: 'dispatch', event: event('bad') });
    assert.equal(first.state, 'dead');
    const dead = await intake.get('github:bad');
    assert.equal(dead?.state, 'dead');
    assert.equal(dead?.reason, 'parameter image rejected');
    assert.equal(dead?.event?.id, 'bad');
    // A redelivery within the duplicate window is answered from the record.
    const again = await intake.submit({ id: 'github:bad', kind: 'dispatch', event: event('bad') });
    assert.deepEqual([again.state, again.duplicate], ['dead', true]);
    fixed = true;
    const retried = await intake.retry('github:bad');
    assert.deepEqual(retried, { state: 'done', duplicate: false, answer: 'ran' });
    assert.equal((await intake.get('github:bad'))?.state, 'done');
    await intake.stop(1_000);
  });

  test("over the stream's limits a new event is refused with 503, and nothing of it is stored", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const intake = await intakeWith('full', async (entry) => {
      seen.push(entry.id);
      await held;
      return { result: 'done', answer: 'ran' };
    }, 2);
    assert.equal((await intake.submit({ id: 'a', kind: 'dispatch', event: event('a') })).state, 'pending');
    assert.equal((await intake.submit({ id: 'b', kind: 'dispatch', event: event('b') })).state, 'pending');
    await assert.rejects(intake.submit({ id: 'c', kind: 'dispatch', event: event('c') }), (error: unknown) => error instanceof IntakeUnavailableError && error.status === 503 && /backlog is full/.test(error.message));
    release();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    assert.ok(!seen.includes('c'), 'the refused event was never processed');
    assert.equal(await intake.get('c'), undefined);
    await intake.stop(1_000);
  });
});
