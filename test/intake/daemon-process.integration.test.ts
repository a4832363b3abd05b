/**
 * The intake across the daemon's own lifecycle, with `runbridge serve` as a separate process and a
 * real kube-apiserver: a SIGKILL right after a 202 loses nothing and doubles nothing; SIGTERM stops
 * taking events, lets the attempt under way finish within the grace period and leaves the rest
 * pending for the next start; and an intake that cannot store (its directory on a full tmpfs)
 * answers 503 with Retry-After, accepts nothing, and no run ever appears for what it refused.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTcpProxy, type TcpProxy } from '../completions/tcp-proxy.ts';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { createNamespace, deliverPush, ENV, intakeStatus, REPO, runsByEvent, scenarioConfig, sleep, waitUntil, type ScenarioConfig } from '../support/intake-scenario.ts';

let kube: KubeApiServer;
let scratch: string;
const children = new Set<ChildProcess>();

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly internalUrl: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly output: () => string;
}

async function writeConfig(name: string, options: ScenarioConfig): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'runbridge.yaml');
  await writeFile(configPath, scenarioConfig(options));
  return configPath;
}

/** `runbridge serve` in its own process; its URL from the `runbridge is serving` log line. */
async function serve(configPath: string): Promise<Served> {
  const child = spawn(process.execPath, [join(REPO, 'src', 'cli.ts'), 'serve', '--config', configPath, '--port', '0', '--internal-port', '0'], { cwd: REPO, env: { ...process.env, ...ENV, LOG_LEVEL: 'info' } });
  children.add(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const { url, internalUrl } = await new Promise<{ url: string; internalUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`runbridge serve did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const serving = /"url":"(http:\/\/[^"]+)","internalUrl":"(http:\/\/[^"]+)"[^\n]*"msg":"runbridge is serving"/.exec(output);
      if (serving) {
        clearTimeout(timer);
        resolve({ url: serving[1]!, internalUrl: serving[2]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => reject(new Error(`runbridge serve exited (${code ?? signal}) before serving:\n${output}`)));
  });
  return { child, url, internalUrl, exited, output: () => output };
}

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-intake-process-'));
  kube = await startKubeApiServer({ crdFiles: [join(REPO, 'test', 'crds', 'kfp-operator.runs.pipelines.kubeflow.org.yaml')] });
  await createNamespace(kube, 'ml');
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the intake across restarts of runbridge serve', () => {
  test('SIGKILL right after a 202: after a restart the run is created, once', async () => {
    const configPath = await writeConfig('sigkill', { kubeconfig: kube.kubeconfigPath, answerWithinSeconds: 1 });
    const first = await serve(configPath);
    await kube.shutdown();
    const id = randomUUID();
    const answer = await deliverPush(first.url, id);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    await kube.start();
    assert.equal((await runsByEvent(kube)).get(id), undefined, 'no run before the restart');

    const second = await serve(configPath);
    await waitUntil('the run of the delivery answered 202 before the SIGKILL', async () => (await runsByEvent(kube)).get(id)?.length === 1, 60_000, 500);
    await waitUntil('the intake empty', async () => (await intakeStatus(second.internalUrl)).pending === 0, 30_000);
    const again = await deliverPush(second.url, id);
    assert.deepEqual([again.status, again.body.state], [200, 'done']);
    assert.equal((await runsByEvent(kube)).get(id)?.length, 1);
    second.child.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
  });

  test('SIGTERM: new events refused, the attempt under way finishes within the grace period, the rest stays pending and resumes at the next start', async (t) => {
    // The daemon reaches the API server through a proxy: cut, its requests fail at once; the API
    // server paused, they hang.
    const proxy: TcpProxy = await startTcpProxy(kube.port);
    try {
      const kc = kube.kubeConfig();
      kc.clusters.forEach((c) => Object.assign(c, { server: `https://127.0.0.1:${proxy.port}` }));
      const kubeconfig = join(scratch, 'via-proxy.kubeconfig');
      await writeFile(kubeconfig, kc.exportConfig());
      // A failed attempt is tried again 4–40 s later: not before the SIGTERM below.
      const configPath = await writeConfig('sigterm', { kubeconfig, answerWithinSeconds: 1, shutdownGraceSeconds: 15, retry: { initialDelaySeconds: 40, maxDelaySeconds: 40 } });
      const served = await serve(configPath);

      await proxy.cut();
      const waiting = randomUUID();
      const refusedFirst = await deliverPush(served.url, waiting);
      assert.equal(refusedFirst.status, 202, JSON.stringify(refusedFirst.body));
      await waitUntil('the first attempt over', async () => (await intakeStatus(served.internalUrl)).events.some((e) => e.id === `github:${waiting}` && e.attempts === 1), 10_000, 100);
      await proxy.restore();
      kube.pause();
      const inFlight = randomUUID();
      const hung = await deliverPush(served.url, inFlight);
      assert.equal(hung.status, 202, JSON.stringify(hung.body));

      served.child.kill('SIGTERM');
      await sleep(300);
      const late = await deliverPush(served.url, randomUUID());
      assert.ok(late.status === 503 || late.status === 0, `a delivery after SIGTERM: ${late.status} ${JSON.stringify(late.body)}`);
      await sleep(2_000);
      kube.resume();
      const exit = await served.exited;
      assert.equal(exit.code, 0, served.output().slice(-2000));
      const runs = await runsByEvent(kube);
      assert.equal(runs.get(inFlight)?.length, 1, 'the attempt under way at SIGTERM finished: its run exists');
      assert.equal(runs.get(waiting), undefined, 'the pending event was not tried during the shutdown');
      assert.equal(runs.get(late.id), undefined);
      t.diagnostic(`after SIGTERM: a new delivery got ${late.status === 0 ? 'a refused connection' : late.status}; the daemon exited ${exit.code}`);

      const restarted = await serve(configPath);
      const tookMs = await waitUntil('the pending event resumed after the restart', async () => (await runsByEvent(kube)).get(waiting)?.length === 1, 60_000, 500);
      t.diagnostic(`the pending event's run was created ${tookMs} ms after the restart (its next attempt was planned 4–40 s after the first)`);
      assert.equal((await runsByEvent(kube)).get(inFlight)?.length, 1);
      restarted.child.kill('SIGTERM');
      assert.equal((await restarted.exited).code, 0);
    } finally {
      kube.resume();
      await proxy.close();
    }
  });

  test('the intake cannot store (its directory on a full tmpfs): 503 with Retry-After, no 2xx, and no run ever appears for what was refused', async (t) => {
    const mountPoint = join(scratch, 'intake-fs');
    await mkdir(mountPoint);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    } catch (error) {
      t.skip(`cannot mount a small tmpfs here (${(error as Error).message.split('\n')[0]}): the test needs mount rights`);
      return;
    }
    try {
      const configPath = await writeConfig('full', { kubeconfig: kube.kubeconfigPath, intakeDirectory: mountPoint });
      let served = await serve(configPath);
      const before = await deliverPush(served.url, randomUUID());
      assert.equal(before.status, 200, JSON.stringify(before.body));

      // Fill the file system to the last byte.
      const filler = await open(join(mountPoint, 'filler'), 'w');
      try {
        for (;;) await filler.write(Buffer.alloc(4096));
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      } finally {
        await filler.close();
      }
      const refused = [];
      for (let i = 0; i < 3; i++) refused.push(await deliverPush(served.url, randomUUID()));
      for (const answer of refused) {
        assert.equal(answer.status, 503, JSON.stringify(answer.body));
        assert.ok(Number(answer.retryAfter) > 0, `Retry-After: ${answer.retryAfter}`);
      }
      const ready = await fetch(`${served.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.match(await ready.text(), /the intake cannot store events/);
      const metrics = await (await fetch(`${served.internalUrl}/metrics`)).text();
      assert.match(metrics, /^runbridge_intake_refused_total [1-9]/m);
      assert.match(metrics, /^runbridge_event_answers_total\{source="github",status="503"\} 3$/m);

      await rm(join(mountPoint, 'filler'));
      await waitUntil('ready again once the intake can store', async () => (await fetch(`${served.url}/readyz`)).status === 200, 15_000);
      const afterwards = await deliverPush(served.url, randomUUID());
      assert.equal(afterwards.status, 200, JSON.stringify(afterwards.body));

      // Nothing of what was refused was kept: not now, not after a restart.
      served.child.kill('SIGTERM');
      assert.equal((await served.exited).code, 0);
      served = await serve(configPath);
      await sleep(3_000);
      const runs = await runsByEvent(kube);
      for (const answer of refused) assert.equal(runs.get(answer.id), undefined, `a run for the refused delivery ${answer.id}`);
      assert.equal(runs.get(afterwards.id)?.length, 1);
      assert.deepEqual(await intakeStatus(served.internalUrl), { pending: 0, dead: 0, oldestPendingSeconds: 0, events: [] });
      served.child.kill('SIGTERM');
      assert.equal((await served.exited).code, 0);
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  });
});
