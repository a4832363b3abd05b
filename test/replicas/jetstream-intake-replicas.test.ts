/**
 * Two runbridge replicas, each its own `runbridge serve` process, sharing a real nats-server's
 * JetStream intake and NATS KV state, and one run directory (the file sink: a run's file is created
 * once, whoever writes it). What the replicas must keep: a delivery sent to both at once makes one
 * run; a replica killed mid-burst loses nothing it answered 2xx; with JetStream stopped a delivery
 * gets 503, and no run appears for it later.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { startServe, type ServeProcess } from '../shutdown/serve-process.ts';
import { eventually } from './eventually.ts';
import { writeReplicaConfig } from './replica-config.ts';
import { runsByEvent } from './runs-by-event.ts';
import { accepted, signedPush, type DeliveryStatus } from './signed-push.ts';

const SECRET = 'replicas-webhook-secret';
const deliver = await signedPush(SECRET);

describe('two replicas on the JetStream intake', { timeout: 180_000 }, () => {
  let nats: NatsServer;
  let dir: string;
  const replicas: ServeProcess[] = [];
  const env = { RB_SECRET: SECRET };

  before(async () => {
    nats = await startNatsServer({ jetstream: true });
    dir = await mkdtemp(join(tmpdir(), 'runbridge-replicas-'));
    const configFile = await writeReplicaConfig(dir, { natsUrl: nats.url, bucket: 'replicas' });
    replicas.push(await startServe(configFile, env), await startServe(configFile, env));
  });

  after(async () => {
    for (const replica of replicas) replica.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited()));
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a delivery sent to both replicas at once makes one run, and both answer 2xx', async () => {
    const [a, b] = replicas as [ServeProcess, ServeProcess];
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const answers = await Promise.all(ids.map((id) => Promise.all([deliver(a.url, id), deliver(b.url, id)])));
    for (const pair of answers) for (const status of pair) assert.ok(accepted(status), `answered ${status}`);
    const runs = join(dir, 'runs');
    await eventually(async () => {
      const counts = await runsByEvent(runs);
      return ids.every((id) => counts.get(id) === 1);
    }, 20_000, 'one run per delivery');
    // Nothing more follows from the second replica's copy or a redelivery of the message.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const counts = await runsByEvent(runs);
    assert.deepEqual(ids.map((id) => counts.get(id)), ids.map(() => 1));
  });

  test('a replica killed mid-burst: every delivery answered 2xx ends with exactly one run', async () => {
    const [a, b] = replicas as [ServeProcess, ServeProcess];
    const answered = new Map<string, DeliveryStatus>();
    const sends: Promise<void>[] = [];
    const killAt = Date.now() + 1_500;
    let killed = false;
    for (let i = 0; i < 80; i++) {
      if (!killed && Date.now() >= killAt) {
        b.kill('SIGKILL');
        killed = true;
      }
      const id = randomUUID();
      const target = i % 2 === 0 ? a : b;
      sends.push(deliver(target.url, id).then((status) => void answered.set(id, status)));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    assert.ok(killed, 'the replica was killed during the burst');
    await Promise.all(sends);
    const taken = [...answered].filter(([, status]) => accepted(status)).map(([id]) => id);
    const refused = [...answered].filter(([, status]) => !accepted(status) && status !== 'reset');
    assert.deepEqual(refused, [], 'a live replica never refuses');
    assert.ok(taken.length >= 40, `accepted ${taken.length} of 80`);
    const runs = join(dir, 'runs');
    // The killed replica's unacked messages go to the other once their ack wait (3 s) is over.
    await eventually(async () => {
      const counts = await runsByEvent(runs);
      return taken.every((id) => counts.get(id) === 1);
    }, 60_000, 'a run for every accepted delivery');
    const counts = await runsByEvent(runs);
    for (const [id] of answered) assert.ok((counts.get(id) ?? 0) <= 1, `${id}: more than one run`);
  });

  test('with JetStream stopped a delivery gets 503, and no run appears for it later', async () => {
    const a = replicas[0]!;
    await nats.shutdown();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const statuses: DeliveryStatus[] = [];
    for (const id of ids) statuses.push(await deliver(a.url, id));
    assert.deepEqual(statuses, ids.map(() => 503));
    const ready = await fetch(`${a.url}/readyz`);
    assert.equal(ready.status, 503, 'readiness is false while the intake cannot store');
    await nats.start();
    await eventually(async () => (await fetch(`${a.url}/readyz`)).status === 200, 30_000, 'ready again once NATS is back');
    // Long past the answer window and a retry: nothing was stored, so nothing runs.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const counts = await runsByEvent(join(dir, 'runs'));
    assert.deepEqual(ids.map((id) => counts.get(id) ?? 0), ids.map(() => 0));
    // And the intake takes deliveries again.
    assert.ok(accepted(await deliver(a.url, randomUUID())));
  });
});
