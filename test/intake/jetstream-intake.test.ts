// The JetStream intake's own rules against a real nats-server: dead letters kept in the shared
// records and taken back by a republish, the stream's limits refusing what is over them, done
// records expiring in the shared KV, and a record another replica finished never turned back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { IntakeUnavailableError } from '../../src/errors.ts';
import type { AttemptResult } from '../../src/intake/attempt-result.ts';
import { createJetStreamIntake } from '../../src/intake/create-jetstream-intake.ts';
import type { IntakeEntry } from '../../src/intake/intake-record.ts';
import { stateIntakeStore } from '../../src/intake/intake-store.ts';
import { createAttempts } from '../../src/intake/create-attempts.ts';
import { pendingRecord } from '../../src/intake/intake-record.ts';
import { createNatsKvStore } from '../../src/state/nats-kv-store.ts';
import { stateRetention, type Retention } from '../../src/state/retention.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { until } from '../support/until.ts';

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

  const intakeWith = async (name: string, process: (entry: IntakeEntry) => Promise<AttemptResult<string>>, maxMessages = 100, retention?: Retention) => {
    const store = stateIntakeStore(await createNatsKvStore({ nc, bucket: `intake-${name}`, replicas: 1, ...(retention && { retention }) }));
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
    await until(async () => (await intake.get('github:bad'))?.state === 'done', 3000, 'the done record');
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

  test('done records expire in the shared KV after the retention; dead letters and pending events stay', async () => {
    const intake = await intakeWith(
      'retention',
      async (entry) =>
        entry.id === 'done'
          ? { result: 'done', answer: 'ran' }
          : entry.id === 'dead'
            ? { result: 'dead', reason: 'parameter image rejected', status: 422, answer: 'refused' }
            : { result: 'retry', reason: 'API server unreachable', answer: 'later' },
      100,
      stateRetention({ dedupeMs: 1_000 }),
    );
    for (const id of ['done', 'dead', 'wait']) await intake.submit({ id, kind: 'dispatch', event: event(id) });
    assert.equal((await intake.get('done'))?.state, 'done');
    const deadline = Date.now() + 10_000;
    while ((await intake.get('done')) !== undefined) {
      assert.ok(Date.now() < deadline, 'the done record did not expire');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal((await intake.get('dead'))?.state, 'dead', 'a dead letter outlives the retention');
    assert.equal((await intake.get('wait'))?.state, 'pending', 'so does a pending event');
    await intake.stop(1_000);
  });

  // Two replicas try one event at once (a redelivery to the other replica, an ack deadline passed):
  // each writes its record by compare-and-set from the revision it started from (0: none yet).
  const races: { other: AttemptResult<string>['result']; mine: AttemptResult<string>['result']; state: string; attempts: number }[] = [
    { other: 'done', mine: 'retry', state: 'done', attempts: 1 },
    { other: 'dead', mine: 'retry', state: 'dead', attempts: 1 },
    { other: 'retry', mine: 'done', state: 'done', attempts: 2 },
    { other: 'dead', mine: 'done', state: 'done', attempts: 2 },
  ];
  for (const race of races) {
    test(`another replica's attempt ends ${race.other} while mine is under way and ends ${race.mine}: the record is ${race.state}`, async () => {
      const theirs = await connect({ servers: nats.url });
      try {
        const bucket = `race-${race.other}-${race.mine}`;
        const myStore = stateIntakeStore(await createNatsKvStore({ nc, bucket, replicas: 1 }));
        const theirStore = stateIntakeStore(await createNatsKvStore({ nc: theirs, bucket, replicas: 1 }));
        const result = (kind: AttemptResult<string>['result']): AttemptResult<string> =>
          kind === 'dead' ? { result: 'dead', reason: 'rejected', status: 422, answer: kind } : kind === 'retry' ? { result: 'retry', reason: 'API server unreachable', answer: kind } : { result: 'done', answer: kind };
        let finish: () => void = () => {};
        const gate = new Promise<void>((resolve) => (finish = resolve));
        const mine = createAttempts<string>({ store: myStore, process: async () => (await gate, result(race.mine)), policy, logger, clock: () => new Date() });
        const other = createAttempts<string>({ store: theirStore, process: async () => result(race.other), policy, logger, clock: () => new Date() });
        const from = { record: pendingRecord({ id: 'github:raced', kind: 'dispatch', event: event('raced'), acceptedAt: new Date().toISOString() }), revision: 0 };
        const mineUnderWay = mine.run(from).finished;
        assert.equal((await other.run(from).finished).record.state, race.other === 'retry' ? 'pending' : race.other);
        finish();
        const outcome = await mineUnderWay;
        const stored = await myStore.get('github:raced');
        assert.equal(stored?.record.state, race.state);
        assert.equal(stored?.record.attempts, race.attempts);
        assert.deepEqual([outcome.stored, outcome.record, outcome.revision], [true, stored?.record, stored?.revision]);
      } finally {
        await theirs.close();
      }
    });
  }
});
