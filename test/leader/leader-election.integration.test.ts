// Leader election on a real Lease in a real kube-apiserver: two replicas, each with its own
// elector and scheduler, over one shared state store and sink (as replicas share NATS KV and the
// cluster). Only the
// leader fires; when it stops, the standby takes over well within the lease duration; when it
// crashes, after the lease duration; when it cannot reach the API server, it stops firing before
// its lease could be taken. Schedulers run on a clock the test moves; electors on real time with
// short timings (lease 2 s, renew deadline 1.5 s, retry 0.25 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { pino } from 'pino';
import { createLeaderElector, type LeaderElector } from '../../src/leader/create-leader-elector.ts';
import { createLeaseLock } from '../../src/leader/lease-lock.ts';
import type { Scheduler } from '../../src/sources/cron/create-scheduler.ts';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { createHarness, scheduledConfig, type Harness } from '../cron/scheduler-harness.ts';

const TIMINGS = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 250 };
const logger = pino({ level: 'silent' });

let kube: KubeApiServer;
const electors: LeaderElector[] = [];
const harnesses: Harness[] = [];

before(async () => {
  kube = await startKubeApiServer();
});
after(async () => {
  for (const e of electors) await e.stop();
  for (const h of harnesses) await h.close();
  await kube?.stop();
});

function elector(leaseName: string, identity: string, options: { releaseOnStop?: boolean; onStartedLeading?: () => void } = {}): LeaderElector {
  const lock = createLeaseLock(kube.kubeConfig(), { namespace: 'default', name: leaseName, requestTimeoutMs: 700 });
  const created = createLeaderElector({ lock, identity, logger, ...TIMINGS, ...options });
  electors.push(created);
  return created;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) assert.fail(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('leader election on a Lease', () => {
  test('the first replica takes the Lease and records itself as holder', async () => {
    const a = elector('lease-basic', 'replica-a');
    a.start();
    await until(() => a.isLeader(), 3000);
    const lease = await kube.kubeConfig().makeApiClient(CoordinationV1Api).readNamespacedLease({ name: 'lease-basic', namespace: 'default' });
    assert.equal(lease.spec?.holderIdentity, 'replica-a');
    assert.equal(lease.spec?.leaseDurationSeconds, 2);
    const b = elector('lease-basic', 'replica-b');
    b.start();
    await sleep(TIMINGS.leaseDurationMs + 500);
    assert.equal(b.isLeader(), false, 'a standby never takes a Lease that is being renewed');
    assert.equal(a.isLeader(), true);
    await a.stop();
    await b.stop();
  });

  test('two replicas over many slots: each slot fires exactly once, only from the leader; a stopped leader is replaced within the lease duration', async () => {
    const h = await createHarness(scheduledConfig({ cron: '* * * * *' }), { start: '2026-01-10T00:00:00Z' });
    harnesses.push(h);
    const fired: Record<string, string[]> = { a: [], b: [] };
    const replica = async (name: 'a' | 'b'): Promise<{ elector: LeaderElector; scheduler: Scheduler }> => {
      let scheduler: Scheduler | undefined;
      const leader = elector('lease-replicas', `replica-${name}`, { onStartedLeading: () => scheduler?.wake() });
      const accept = await h.acceptThrough(async (event) => {
        fired[name]!.push(event.id);
        return h.dispatcher(event);
      });
      scheduler = h.scheduler({ isLeader: leader.isLeader, accept });
      return { elector: leader, scheduler };
    };
    const a = await replica('a');
    const b = await replica('b');
    a.elector.start();
    await until(() => a.elector.isLeader(), 3000);
    b.elector.start();
    a.scheduler.start();
    b.scheduler.start();
    await sleep(500);

    let minute = 0;
    const slots = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        minute++;
        h.now = new Date(Date.UTC(2026, 0, 10, 0, minute, 0, 200));
        await Promise.all([a.scheduler.runDue(), b.scheduler.runDue()]);
      }
    };
    await slots(25);
    assert.equal(fired.a!.length, 25);
    assert.deepEqual(fired.b, [], 'the standby fires nothing');

    const stopped = Date.now();
    await a.scheduler.stop();
    await a.elector.stop();
    const takeover = await until(() => b.elector.isLeader(), TIMINGS.leaseDurationMs);
    process.stderr.write(`takeover after a graceful stop: ${Date.now() - stopped} ms (lease ${TIMINGS.leaseDurationMs} ms)\n`);
    assert.ok(takeover < TIMINGS.leaseDurationMs);

    await slots(25);
    assert.equal(fired.b!.length, 25);
    const all = [...fired.a!, ...fired.b!];
    assert.equal(all.length, 50);
    assert.equal(new Set(all).size, 50, 'no slot fired twice');
    assert.equal(h.ticks.length, 50);
    await b.scheduler.stop();
  });

  test('a leader that crashes (no release) is replaced once its lease has expired, not before', async () => {
    const a = elector('lease-crash', 'replica-a', { releaseOnStop: false });
    a.start();
    await until(() => a.isLeader(), 3000);
    const b = elector('lease-crash', 'replica-b');
    b.start();
    await sleep(600);
    const crashed = Date.now();
    await a.stop();
    await until(() => b.isLeader(), TIMINGS.leaseDurationMs + 4 * TIMINGS.retryPeriodMs + 500);
    const after = Date.now() - crashed;
    process.stderr.write(`takeover after a crash: ${after} ms (lease ${TIMINGS.leaseDurationMs} ms)\n`);
    assert.ok(after >= TIMINGS.leaseDurationMs - TIMINGS.retryPeriodMs * 2, `not before the lease expired (${after} ms)`);
    await b.stop();
  });

  test('a leader cut off from the API server stops firing within the renew deadline', async () => {
    const h = await createHarness(scheduledConfig({ cron: '* * * * *' }), { start: '2026-01-10T00:00:00Z' });
    harnesses.push(h);
    const a = elector('lease-partition', 'replica-a');
    a.start();
    await until(() => a.isLeader(), 3000);
    const scheduler = h.scheduler({ isLeader: a.isLeader });
    h.now = new Date('2026-01-10T00:00:30Z');
    await scheduler.runDue();
    h.now = new Date('2026-01-10T00:01:00Z');
    await scheduler.runDue();
    assert.equal(h.ticks.length, 1);

    kube.pause();
    try {
      const paused = Date.now();
      await until(() => !a.isLeader(), TIMINGS.renewDeadlineMs + 300);
      const lost = Date.now() - paused;
      process.stderr.write(`leadership lost ${lost} ms after the API server stopped answering\n`);
      assert.ok(lost < TIMINGS.leaseDurationMs, 'before any standby could take the lease');
      h.now = new Date('2026-01-10T00:02:00Z');
      await scheduler.runDue();
      assert.equal(h.ticks.length, 1, 'no tick without the lease');
    } finally {
      kube.resume();
    }
    await until(() => a.isLeader(), 5000);
    h.now = new Date('2026-01-10T00:02:10Z');
    await scheduler.runDue();
    assert.equal(h.ticks.length, 2, 'leader again: the slot, still on time, fires');
    await a.stop();
  });
});
