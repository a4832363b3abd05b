// The JetStream KV store against a real nats-server with JetStream (test/support/nats-server.ts).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { latestRunsKey } from '../../src/chaining/latest-runs.ts';
import { submissionKey } from '../../src/dispatch/submission-record.ts';
import { StateError } from '../../src/errors.ts';
import { connectNats, type NatsHandle, type NatsLogger } from '../../src/nats/connect.ts';
import { createStateStore } from '../../src/state/create-store.ts';
import { createNatsKvStore } from '../../src/state/nats-kv-store.ts';
import { stateRetention } from '../../src/state/retention.ts';
import { StateConflictError } from '../../src/state/store.ts';
import { startNatsServer } from '../support/nats-server.ts';
import { describeStateStoreContract } from './state-store-contract.ts';

interface Line {
  level: string;
  message: string;
}

function recordingLogger(lines: Line[] = []): NatsLogger & { lines: Line[] } {
  const log = (level: string) => (_fields: object, message: string) => void lines.push({ level, message });
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const connectTo = (url: string, logger: NatsLogger, onStatus?: (type: string) => void): Promise<NatsHandle> =>
  connectNats(
    { servers: [url], name: 'runbridge-test' },
    { logger, reconnectTimeWaitMs: 100, ...(onStatus && { onStatus: (s) => onStatus(s.type) }) },
  );

const server = await startNatsServer({ jetstream: true });
const shared = await connectTo(server.url, recordingLogger());
after(async () => {
  await shared.close();
  await server.stop();
});

let buckets = 0;
describeStateStoreContract('NATS KV store', () => createNatsKvStore({ nc: shared.nc, bucket: `contract-${++buckets}`, replicas: 1 }), {
  make: (retention) => createNatsKvStore({ nc: shared.nc, bucket: `contract-${++buckets}`, replicas: 1, retention }),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // Nats-TTL counts whole seconds; the server expires within about one more.
  lifetimeMs: 1_000,
});

describe('NATS KV store: specifics', () => {
  test('revisions come from JetStream: another client sees the same revision and its write conflicts', async () => {
    const bucket = `two-clients-${++buckets}`;
    const other = await connectTo(server.url, recordingLogger());
    try {
      const mine = await createNatsKvStore({ nc: shared.nc, bucket, replicas: 1 });
      const theirs = await createNatsKvStore({ nc: other.nc, bucket, replicas: 1 });
      const revision = await mine.put('leader.scheduler', { holder: 'a' }, 0);
      assert.deepEqual(await theirs.get('leader.scheduler'), { value: { holder: 'a' }, revision });
      await assert.rejects(theirs.put('leader.scheduler', { holder: 'b' }, 0), StateConflictError);
      const next = await theirs.put('leader.scheduler', { holder: 'b' }, revision);
      await assert.rejects(mine.put('leader.scheduler', { holder: 'a' }, revision), StateConflictError);
      assert.deepEqual(await mine.get('leader.scheduler'), { value: { holder: 'b' }, revision: next });
    } finally {
      await other.close();
    }
  });

  test('opening an existing bucket keeps its data', async () => {
    const bucket = `reopen-${++buckets}`;
    const first = await createNatsKvStore({ nc: shared.nc, bucket, replicas: 1 });
    const revision = await first.put('kept', 'yes');
    await first.close();
    const second = await createNatsKvStore({ nc: shared.nc, bucket, replicas: 1 });
    assert.deepEqual(await second.get('kept'), { value: 'yes', revision });
  });

  test('a bucket made before retention gets per-message TTLs when opened, and its records expire', async () => {
    const bucket = `older-${++buckets}`;
    await new Kvm(jetstream(shared.nc)).create(bucket, { history: 1 });
    const store = await createNatsKvStore({ nc: shared.nc, bucket, replicas: 1, retention: stateRetention({ dedupeMs: 1_000 }) });
    const info = await (await jetstreamManager(shared.nc)).streams.info(`KV_${bucket}`);
    assert.equal(info.config.allow_msg_ttl, true);
    assert.equal(info.config.max_age, 0, 'the bucket itself keeps records without a lifetime');
    await store.put(submissionKey('d1', 'ml/train'), { run: 'a' }, 0);
    await store.put(latestRunsKey('ml/train'), { artifact: 'model-1' });
    const deadline = Date.now() + 10_000;
    while ((await store.get(submissionKey('d1', 'ml/train'))) !== undefined) {
      assert.ok(Date.now() < deadline, 'the dedupe record did not expire');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual((await store.get(latestRunsKey('ml/train')))?.value, { artifact: 'model-1' });
  });

  test('a bucket with a max age of its own is refused: it would expire the latest artifacts too', async () => {
    const bucket = `aging-${++buckets}`;
    await new Kvm(jetstream(shared.nc)).create(bucket, { history: 1, ttl: 3_600_000 });
    await assert.rejects(createNatsKvStore({ nc: shared.nc, bucket, replicas: 1 }), (error: unknown) => {
      assert.ok(error instanceof StateError, String(error));
      assert.match(error.message, new RegExp(`bucket ${bucket} has a max age \\(3600 s\\).*remove the bucket's max age`));
      return true;
    });
  });

  test('createStateStore with type nats uses the shared connection', async () => {
    const store = await createStateStore({ type: 'nats', bucket: `factory-${++buckets}`, replicas: 1, dedupeRetentionHours: 168 }, { baseDir: '/nonexistent', nats: shared });
    const revision = await store.put('via.factory', 1, 0);
    assert.deepEqual(await store.get('via.factory'), { value: 1, revision });
  });
});

describe('NATS KV store: server restart', () => {
  test('data survives a restart (file storage) and operations resume after the reconnect', async () => {
    const own = await startNatsServer({ jetstream: true });
    const logger = recordingLogger();
    const statuses: string[] = [];
    const handle = await connectTo(own.url, logger, (type) => statuses.push(type));
    try {
      const store = await createNatsKvStore({ nc: handle.nc, bucket: 'restart', replicas: 1 });
      const revision = await store.put('durable.key', { v: 1 });
      assert.equal(handle.connected(), true);

      await own.shutdown();
      await waitFor('the client notices the disconnect', () => !handle.connected());
      await own.start();
      await waitFor('the client reconnects', () => handle.connected());

      assert.deepEqual(await store.get('durable.key'), { value: { v: 1 }, revision });
      const next = await store.put('durable.key', { v: 2 }, revision);
      assert.ok(next > revision);
      await assert.rejects(store.put('durable.key', { v: 3 }, revision), StateConflictError);
      assert.deepEqual(await store.keys('durable.'), ['durable.key']);
      assert.ok(statuses.includes('disconnect') && statuses.includes('reconnect'), statuses.join(','));
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /disconnected from NATS/.test(l.message)));
      assert.ok(logger.lines.some((l) => l.level === 'info' && /reconnected to NATS/.test(l.message)));
    } finally {
      await handle.close();
      await own.stop();
    }
  });

  test('while the server is down an operation fails with StateError after the timeout; the next one after the reconnect works', async () => {
    const own = await startNatsServer({ jetstream: true });
    const handle = await connectTo(own.url, recordingLogger());
    try {
      const store = await createNatsKvStore({ nc: handle.nc, bucket: 'outage', replicas: 1, timeoutMs: 300 });
      const revision = await store.put('queued', 'before');
      await own.shutdown();
      await waitFor('the client notices the disconnect', () => !handle.connected());
      const started = Date.now();
      await assert.rejects(store.put('queued', 'during', revision), (error: unknown) => {
        assert.ok(error instanceof StateError, String(error));
        assert.equal(error.status, 503);
        assert.match(error.message, /NATS KV outage: put queued failed/);
        return true;
      });
      await assert.rejects(store.get('queued'), StateError);
      assert.ok(Date.now() - started < 5_000, 'fails after the configured timeout, not the default');
      await own.start();
      await waitFor('the client reconnects', () => handle.connected());
      const next = await store.put('queued', 'after', revision);
      assert.deepEqual(await store.get('queued'), { value: 'after', revision: next });
    } finally {
      await handle.close();
      await own.stop();
    }
  });
});
