/**
 * The chart's production setting under load (charts/runbridge/values-production.yaml): three
 * `runbridge serve` replicas sharing a real nats-server's JetStream intake and NATS KV state, behind
 * a load balancer that does what a Service does (round robin over pods whose readiness probe
 * answers 200, a deleted pod out at its next sync). Signed pushes arrive at 20/s, none waiting for another.
 *
 * - A rolling restart as the Deployment does it (maxSurge 1, maxUnavailable 0, preStop sleep, then
 *   SIGTERM) while deliveries keep coming: every delivery answered 2xx, within a forge's 10 s, each
 *   with exactly one run; none reaches a pod after its SIGTERM.
 * - The same without the preStop pause: what the balancer still sends to a stopped pod is refused
 *   (503 while readiness is false, no answer once the listener is closed) and never runs.
 * - A replica SIGKILLed under load (no preStop, the balancer learns of it only from its next probe):
 *   deliveries in flight there get no answer and are sent once more (kept apart: a forge would not);
 *   every delivery answered 2xx ends with exactly one run.
 *
 * The figures (deliveries, answers by status, slowest answer, restart durations) are printed as test
 * diagnostics; docs/operations.md ("Rolling restarts") quotes them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { startEndpointsProxy, type EndpointsProxy } from './endpoints-proxy.ts';
import { eventually } from './eventually.ts';
import { replicaPods, type ReplicaPods } from './replica-pods.ts';
import { writeReplicaConfig } from './replica-config.ts';
import { rollingUpdate } from './rolling-update.ts';
import { runsByEvent } from './runs-by-event.ts';
import { accepted, signedPush, type DeliveryStatus } from './signed-push.ts';
import { steadyLoad, type Delivery } from './steady-load.ts';

const SECRET = 'rolling-restart-webhook-secret';
const deliver = await signedPush(SECRET);
const REPLICAS = 3;
const PER_SECOND = 20;
/** The endpoints' view of readiness is refreshed this often (the chart's probe: every 5 s). */
const PROBE_MS = 1_000;
/** The chart's preStopSleepSeconds (12 s), scaled as the probe is: longer than the balancer takes to follow (PROBE_MS). */
const PRE_STOP_MS = 3_000;
/** A forge gives up on a delivery after 10 s. */
const FORGE_TIMEOUT_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers counted by status, e.g. `{"200": 310, "202": 2}`. */
function byStatus(statuses: readonly DeliveryStatus[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return counts;
}

/** The answer that counts for a delivery: its retry's when it got none the first time. */
const finalStatus = (delivery: Delivery): DeliveryStatus => (delivery.retry ?? delivery.answer).status;

/** Every accepted delivery ends with exactly one run, and no delivery has more than one. */
async function assertOneRunEach(runs: string, deliveries: readonly Delivery[]): Promise<void> {
  const taken = deliveries.filter((d) => accepted(finalStatus(d))).map((d) => d.id);
  await eventually(async () => {
    const counts = await runsByEvent(runs);
    return taken.every((id) => (counts.get(id) ?? 0) >= 1);
  }, 30_000, 'a run for every delivery answered 2xx', 500);
  // Past the ack wait (3 s): a message another replica was handed again has been settled too.
  await sleep(3_500);
  const counts = await runsByEvent(runs);
  const missing = taken.filter((id) => (counts.get(id) ?? 0) === 0);
  const doubled = deliveries.filter((d) => (counts.get(d.id) ?? 0) > 1).map((d) => `${d.id}: ${counts.get(d.id)} runs`);
  assert.deepEqual(missing, [], 'deliveries answered 2xx without a run');
  assert.deepEqual(doubled, [], 'deliveries with more than one run');
}

function report(t: TestContext, deliveries: readonly Delivery[]): void {
  const slowest = Math.max(...deliveries.flatMap((d) => [d.answer.ms, ...(d.retry ? [d.retry.ms] : [])]));
  t.diagnostic(`deliveries: ${deliveries.length} at ${PER_SECOND}/s`);
  t.diagnostic(`answers: ${JSON.stringify(byStatus(deliveries.map((d) => d.answer.status)))}`);
  const retried = deliveries.filter((d) => d.retry);
  if (retried.length > 0) t.diagnostic(`sent again after no answer: ${retried.length}, answered ${JSON.stringify(byStatus(retried.map((d) => d.retry!.status)))}`);
  t.diagnostic(`slowest answer: ${Math.round(slowest)} ms`);
}

/** Where a delivery went and what the replicas logged about it: the message of a failed assertion. */
function explain(proxy: EndpointsProxy, pods: ReplicaPods, id: string): string {
  const routes = (proxy.routes.get(id) ?? []).map((r) => r.endpoint).join(', ');
  const logged = pods.all().flatMap((pod) => pod.serve.lines.filter((line) => line['eventId'] === id).map((line) => `${pod.name}: ${JSON.stringify(line)}`));
  return `${id} (sent to ${routes}):\n${logged.join('\n')}`;
}

describe('a rolling restart of three replicas under load', { timeout: 150_000 }, () => {
  let nats: NatsServer;
  let dir: string;
  let proxy: EndpointsProxy;
  let pods: ReplicaPods;

  before(async () => {
    nats = await startNatsServer({ jetstream: true });
    dir = await mkdtemp(join(tmpdir(), 'runbridge-rolling-'));
    const configFile = await writeReplicaConfig(dir, { natsUrl: nats.url, bucket: 'rolling', shutdownGraceSeconds: 5 });
    proxy = await startEndpointsProxy({ pollMs: PROBE_MS });
    pods = replicaPods({ proxy, configFile, env: { RB_SECRET: SECRET }, preStopMs: PRE_STOP_MS });
    await Promise.all(Array.from({ length: REPLICAS }, () => pods.start()));
  });

  after(async () => {
    for (const pod of pods?.running() ?? []) pod.serve.kill('SIGKILL');
    await Promise.all((pods?.running() ?? []).map((pod) => pod.serve.exited()));
    await proxy?.close();
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('every delivery is answered 2xx within 10 s and ends with exactly one run', async (t) => {
    const load = steadyLoad((id) => deliver(proxy.url, id), { perSecond: PER_SECOND, retryAfterMs: 1_500 });
    await sleep(2_000);
    const rollingStarted = Date.now();
    const steps = await rollingUpdate(pods, pods.running());
    const rollingMs = Date.now() - rollingStarted;
    await sleep(2_000);
    const deliveries = await load.stop();

    report(t, deliveries);
    t.diagnostic(`rolling restart: ${rollingMs} ms`);
    const sentTo = (name: string, from: number, until = Infinity): number =>
      deliveries.filter((d) => (proxy.routes.get(d.id) ?? []).some((r) => r.endpoint === name && r.at >= from && r.at < until)).length;
    for (const { started, deleted } of steps) {
      t.diagnostic(
        `${started.pod.name} ready after ${started.readyMs} ms; ${deleted.pod.name}: routed to for ${(proxy.removedAt.get(deleted.pod.name) ?? NaN) - deleted.markedAt} ms ` +
          `more, ${sentTo(deleted.pod.name, deleted.markedAt, deleted.sigtermAt)} deliveries in its ${PRE_STOP_MS} ms preStop pause, ` +
          `${deleted.inFlightAtSigterm} in flight at SIGTERM, exited ${deleted.exitCode} after ${deleted.stopMs} ms`,
      );
    }

    assert.equal(pods.running().length, REPLICAS);
    for (const { deleted } of steps) {
      assert.equal(deleted.exitCode, 0, `${deleted.pod.name} exits 0`);
      assert.equal(sentTo(deleted.pod.name, deleted.sigtermAt), 0, `${deleted.pod.name}: the preStop pause outlasts the endpoints' update`);
    }
    assert.ok(deliveries.length >= PER_SECOND * 8, `${deliveries.length} deliveries`);
    const notAccepted = deliveries.filter((d) => !accepted(d.answer.status)).map((d) => `${d.answer.status} ${explain(proxy, pods, d.id)}`);
    assert.deepEqual(notAccepted, [], 'a rolling restart refuses nothing');
    assert.equal(proxy.noEndpoint(), 0, 'there was always a ready replica');
    for (const d of deliveries) assert.ok(d.answer.ms < FORGE_TIMEOUT_MS, `${d.id} answered after ${Math.round(d.answer.ms)} ms`);
    await assertOneRunEach(join(dir, 'runs'), deliveries);
  });

  test('without the preStop pause, what reaches a stopping replica is refused and never runs; every 2xx has one run', async (t) => {
    const load = steadyLoad((id) => deliver(proxy.url, id), { perSecond: PER_SECOND, retryAfterMs: 1_500 });
    await sleep(2_000);
    const steps = await rollingUpdate(pods, pods.running(), 0);
    await sleep(2_000);
    const deliveries = await load.stop();

    report(t, deliveries);
    for (const { deleted } of steps) {
      const late = deliveries.filter((d) => (proxy.routes.get(d.id) ?? []).some((r) => r.endpoint === deleted.pod.name && r.at >= deleted.sigtermAt));
      const routedFor = (proxy.removedAt.get(deleted.pod.name) ?? NaN) - deleted.markedAt;
      t.diagnostic(
        `${deleted.pod.name}: SIGTERM at once, routed to for ${routedFor} ms more, ${late.length} deliveries after SIGTERM: ` +
          `${JSON.stringify(byStatus(late.map((d) => d.answer.status)))}; exited after ${deleted.stopMs} ms`,
      );
      if (deleted.stopMs > 1_000) t.diagnostic(`${deleted.pod.name}'s slow drain:\n${deleted.shutdownLog.map((line) => JSON.stringify(line)).join('\n')}`);
    }

    const unexpected = deliveries.filter((d) => !accepted(d.answer.status) && d.answer.status !== 503 && d.answer.status !== 'reset');
    assert.deepEqual(unexpected.map((d) => `${d.answer.status} ${explain(proxy, pods, d.id)}`), [], 'a stopping replica answers 503 (readiness is false) until its listener closes');
    await assertOneRunEach(join(dir, 'runs'), deliveries);
    // 503 means nothing was stored: no run follows.
    const counts = await runsByEvent(join(dir, 'runs'));
    const refused = deliveries.filter((d) => finalStatus(d) === 503 || finalStatus(d) === 'reset');
    assert.deepEqual(refused.filter((d) => counts.has(d.id)).map((d) => d.id), [], 'a refused delivery has no run');
  });

  test('a replica SIGKILLed under load: every delivery answered 2xx ends with exactly one run', async (t) => {
    const load = steadyLoad((id) => deliver(proxy.url, id), { perSecond: PER_SECOND, retryAfterMs: 1_500 });
    await sleep(2_000);
    const victim = pods.running()[0]!;
    const killedAt = Date.now();
    await pods.kill(victim);
    // The ReplicaSet replaces it.
    const { pod, readyMs } = await pods.start();
    proxy.remove(victim.name);
    await sleep(2_000);
    const deliveries = await load.stop();

    report(t, deliveries);
    t.diagnostic(`${victim.name} SIGKILLed; ${pod.name} ready ${readyMs} ms later`);
    const cut = deliveries.filter((d) => d.answer.status === 'reset');
    for (const d of cut) {
      const routes = proxy.routes.get(d.id) ?? [];
      assert.equal(routes[0]?.endpoint, victim.name, `${d.id}: only deliveries sent to the killed replica go unanswered`);
      // In flight at the kill, or sent before the balancer's next probe found the replica gone.
      assert.ok(routes[0]!.at <= killedAt + 2 * PROBE_MS, `${d.id} was sent to the killed replica ${routes[0]!.at - killedAt} ms after the kill`);
      assert.ok(accepted(d.retry!.status), `${d.id} sent again: answered ${d.retry!.status}`);
    }
    const refused = deliveries.filter((d) => d.answer.status !== 'reset' && !accepted(d.answer.status)).map((d) => `${d.answer.status} ${explain(proxy, pods, d.id)}`);
    assert.deepEqual(refused, [], 'a replica that answers does not refuse');
    for (const d of deliveries) assert.ok(d.answer.ms < FORGE_TIMEOUT_MS, `${d.id} answered after ${Math.round(d.answer.ms)} ms`);
    await assertOneRunEach(join(dir, 'runs'), deliveries);
  });
});
