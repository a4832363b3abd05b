/**
 * The intake's contract with senders against a real kube-apiserver (docs/adr/0009-durable-intake.md):
 * signed pushes keep arriving at ~2/s while the API server is stopped for 60 s, or hung (SIGSTOP:
 * connections accepted by the kernel, never answered); every delivery is answered 2xx within 10 s
 * and, once the API server is back, has exactly one run, without any redelivery. A schedule slot and
 * a run-now request that fall in the outage are created once it ends. A permanent failure is a 4xx
 * and a dead letter that `runbridge status` lists and `runbridge retry` takes back after a fix.
 *
 * The daemon runs in this process (startDaemon); the CLI runs as a child process. The figures each
 * test prints (answers by status, slowest answer, runs per delivery) are the README's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import {
  API_TOKEN,
  countByStatus,
  createNamespace,
  cronAt,
  deliverPush,
  ENV,
  intakeStatus,
  REPO,
  runNow,
  runsByEvent,
  scenarioConfig,
  sleep,
  waitUntil,
  type Delivered,
  type ScenarioConfig,
} from '../support/intake-scenario.ts';

let kube: KubeApiServer;
let scratch: string;
const daemons = new Set<Daemon>();

async function startIn(name: string, options: Omit<ScenarioConfig, 'kubeconfig'> = {}): Promise<{ daemon: Daemon; dir: string; configPath: string }> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'runbridge.yaml');
  await writeFile(configPath, scenarioConfig({ kubeconfig: kube.kubeconfigPath, ...options }));
  const daemon = await startDaemon(await loadConfig(configPath, { env: ENV }), { logger: pino({ level: 'silent' }), env: ENV, port: 0, internalPort: 0 });
  daemons.add(daemon);
  return { daemon, dir, configPath };
}

async function stop(daemon: Daemon): Promise<void> {
  daemons.delete(daemon);
  await daemon.shutdown();
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'src', 'cli.ts'), ...args], { cwd: REPO, env: { ...process.env, RUNBRIDGE_API_TOKEN: API_TOKEN } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Sends one delivery every `everyMs` until `until()` is true; the answers, in order of sending. */
async function keepDelivering(url: string, everyMs: number, until: () => boolean, startedAt: number): Promise<Delivered[]> {
  const sent: Promise<Delivered>[] = [];
  while (!until()) {
    sent.push(deliverPush(url, randomUUID(), startedAt));
    await sleep(everyMs);
  }
  return Promise.all(sent);
}

/** Every delivery has exactly one run; the count of deliveries by their number of runs, for the figures. */
async function assertOneRunEach(answers: readonly Delivered[]): Promise<string> {
  const runs = await runsByEvent(kube);
  const perDelivery = new Map<number, number>();
  for (const { id } of answers) {
    const n = runs.get(id)?.length ?? 0;
    perDelivery.set(n, (perDelivery.get(n) ?? 0) + 1);
  }
  for (const { id } of answers) assert.equal(runs.get(id)?.length ?? 0, 1, `delivery ${id}: ${runs.get(id)?.join(', ') ?? 'no run'}`);
  return [...perDelivery.entries()].map(([n, count]) => `${count} with ${n} run${n === 1 ? '' : 's'}`).join(', ');
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-intake-kube-'));
  kube = await startKubeApiServer({ crdFiles: [join(REPO, 'test', 'crds', 'kfp-operator.runs.pipelines.kubeflow.org.yaml')] });
  await createNamespace(kube, 'ml');
});

after(async () => {
  for (const daemon of daemons) await daemon.shutdown();
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('durable intake against a real kube-apiserver', () => {
  test('a permanent failure: 422 and a dead letter `runbridge status` lists; after the fix and a restart, `runbridge retry` makes its one run', async () => {
    let served = await startIn('dead-letter', { provider: 'Not Valid' });
    const id = randomUUID();
    const answer = await deliverPush(served.daemon.url, id);
    assert.equal(answer.status, 422, JSON.stringify(answer.body));
    assert.equal(answer.body.state, 'dead');
    assert.equal(answer.body.intakeId, `github:${id}`);
    assert.match(answer.body.message ?? '', /spec\.provider: Invalid value: "Not Valid".*kept as a dead letter \(runbridge retry github:/);

    const status = await cli(['status', '--url', served.daemon.internalUrl]);
    assert.equal(status.code, 0, status.stderr);
    assert.ok(status.stdout.includes('Intake: 0 pending, 1 dead letter\n'), status.stdout);
    assert.match(status.stdout, new RegExp(`  dead    github:${id}  422 ml/train: .*spec\\.provider: Invalid value: "Not Valid".*\\(after a fix: runbridge retry github:${id}\\)`));
    const metrics = await (await fetch(`${served.daemon.internalUrl}/metrics`)).text();
    assert.match(metrics, /^runbridge_intake_dead_letters 1$/m);
    // A redelivery answers the dead letter's state and tries nothing.
    const again = await deliverPush(served.daemon.url, id);
    assert.deepEqual([again.status, again.body.state], [422, 'dead']);

    // The fix: a valid provider, and a restart to load it.
    await stop(served.daemon);
    served = await startIn('dead-letter', { provider: 'kfp-operator/vertex-ai' });
    assert.deepEqual((await runsByEvent(kube)).get(id), undefined, 'nothing was created before the retry');
    const retried = await cli(['retry', `github:${id}`, '--url', served.daemon.internalUrl]);
    assert.equal(retried.code, 0, `${retried.stdout}${retried.stderr}`);
    assert.match(retried.stdout, new RegExp(`^github:${id}: done`));
    assert.equal((await runsByEvent(kube)).get(id)?.length, 1);
    assert.deepEqual(await intakeStatus(served.daemon.internalUrl), { pending: 0, dead: 0, oldestPendingSeconds: 0, events: [] });

    // Retrying again finds no dead letter; a redelivery answers the run that exists.
    const twice = await cli(['retry', `github:${id}`, '--url', served.daemon.internalUrl]);
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /no dead letter/);
    const redelivered = await deliverPush(served.daemon.url, id);
    assert.deepEqual([redelivered.status, redelivered.body.state], [200, 'done']);
    assert.equal((await runsByEvent(kube)).get(id)?.length, 1);
    await stop(served.daemon);
  });

  test('the API server hung (accepting connections, never answering): deliveries are answered 202 within answerWithin, and each has one run once it answers again', async (t) => {
    const { daemon } = await startIn('hung', { answerWithinSeconds: 2 });
    const startedAt = Date.now();
    const first = await deliverPush(daemon.url, randomUUID(), startedAt);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    kube.pause();
    const hangEnds = Date.now() + 20_000;
    const answers = await keepDelivering(daemon.url, 500, () => Date.now() > hangEnds, startedAt);
    kube.resume();
    for (const a of answers) {
      assert.equal(a.status, 202, `${a.id} at ${a.sentAt} ms: ${a.status} ${JSON.stringify(a.body)}`);
      assert.ok(a.tookMs < 3_000, `${a.id} was held ${a.tookMs} ms (answerWithin is 2 s)`);
      assert.equal(a.body.intakeId, `github:${a.id}`);
    }
    const recoveredIn = await waitUntil('every pending event done after the hang', async () => (await intakeStatus(daemon.internalUrl)).pending === 0, 120_000, 500);
    const runs = await assertOneRunEach([first, ...answers]);
    t.diagnostic(
      `API server hung 20 s: ${answers.length} deliveries: ${countByStatus(answers)}; slowest answer ${Math.max(...answers.map((a) => a.tookMs))} ms; ` +
        `backlog empty ${recoveredIn} ms after it answered again; runs per delivery: ${runs}`,
    );
    await stop(daemon);
  });

  // Last: the long outage.
  test('the API server stopped for 60 s while signed pushes arrive at ~2/s: every delivery answered 2xx within 10 s; afterwards one run each without redelivery, and the schedule slot and the run-now request of the outage created', async (t) => {
    // The schedule's only slot falls 25 s after the start, inside the outage.
    const startedAt = Date.now();
    const slot = new Date(Math.ceil((startedAt + 25_000) / 1000) * 1000);
    const { daemon } = await startIn('outage', { cron: cronAt(slot) });
    let stopped = false;
    const deliveries = keepDelivering(daemon.url, 500, () => stopped, startedAt);
    let downAt = 0;
    let upAt = 0;
    try {
      await sleep(3_000);
      await kube.shutdown();
      downAt = Date.now() - startedAt;
      await sleep(12_000);
      const asked = await runNow(daemon.internalUrl, 'during-the-outage');
      assert.equal(asked.status, 202, JSON.stringify(asked.body));
      assert.ok(asked.tookMs < 10_000);
      await sleep(Math.max(0, downAt + 60_000 - (Date.now() - startedAt)));
      assert.ok(Date.now() > slot.getTime(), 'the slot fell in the outage');
      await kube.start();
      upAt = Date.now() - startedAt;
      await sleep(5_000);
    } finally {
      stopped = true;
    }
    const answers = await deliveries;

    const byPhase = (from: number, to: number): Delivered[] => answers.filter((a) => a.sentAt >= from && a.sentAt < to);
    for (const a of answers) {
      assert.ok(a.status === 200 || a.status === 202, `${a.id} sent at ${a.sentAt} ms: ${a.status} ${JSON.stringify(a.body)}`);
      assert.ok(a.tookMs < 10_000, `${a.id} sent at ${a.sentAt} ms was answered after ${a.tookMs} ms`);
      if (a.status === 202) assert.equal(a.body.intakeId, `github:${a.id}`);
    }
    assert.ok(byPhase(downAt, upAt).length >= 100, `deliveries during the outage: ${byPhase(downAt, upAt).length}`);

    await waitUntil('every pending event done after the outage', async () => (await intakeStatus(daemon.internalUrl)).pending === 0, 180_000, 250);
    const recoveredIn = Date.now() - startedAt - upAt;
    const runs = await assertOneRunEach(answers);
    const byEvent = await runsByEvent(kube);
    const slotRuns = [...byEvent.entries()].filter(([id]) => id === `ml/train@${slot.toISOString()}`);
    const waitSlot = await waitUntil(
      'the schedule slot of the outage has its run',
      async () => ((await runsByEvent(kube)).get(`ml/train@${slot.toISOString()}`)?.length ?? 0) === 1,
      120_000,
      1_000,
    );
    assert.equal((await runsByEvent(kube)).get('manual-during-the-outage')?.length, 1, 'the run-now request of the outage has one run');
    const metrics = await (await fetch(`${daemon.internalUrl}/metrics`)).text();
    assert.match(metrics, /^runbridge_intake_pending 0$/m);
    assert.match(metrics, /^runbridge_intake_attempts_total\{result="retry"\} [1-9]/m);
    const answered = (status: number): number => Number(new RegExp(`^runbridge_event_answers_total\\{source="github",status="${status}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.deepEqual([answered(200), answered(202)], [answers.filter((a) => a.status === 200).length, answers.filter((a) => a.status === 202).length]);

    t.diagnostic(`API server down at ${downAt} ms, ready again at ${upAt} ms; schedule slot ${slot.toISOString()}; ${answers.length} deliveries at ~2/s`);
    t.diagnostic(
      `answers: ${countByStatus(answers)} (during the outage: ${countByStatus(byPhase(downAt, upAt))}); slowest ${Math.max(...answers.map((a) => a.tookMs))} ms; ` +
        `0 refused, 0 redelivered; backlog empty ${recoveredIn} ms after the API server was ready (deliveries went on for 5 s of it); runs per delivery: ${runs}; ` +
        `schedule slot run ${slotRuns.length ? 'already there' : `after ${waitSlot} ms more`}, run-now request: 1 run`,
    );
    await stop(daemon);
  });
});
