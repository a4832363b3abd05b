/**
 * Graceful shutdown of the real CLI (`node src/cli.ts serve`), creating runs in a real
 * kube-apiserver. An event is made to be in flight when SIGTERM arrives by freezing the API server
 * (SIGSTOP) while the Kubernetes sink talks to it. Then: readiness turns 503, a new delivery gets
 * 503, liveness stays 200, the in-flight delivery completes with its answer once the API server is
 * back, and the process exits 0. When the grace period runs out first, the process still exits 0,
 * on time.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhooks } from '@octokit/webhooks';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { kubeRest, type KubeRest } from '../chart/kube-rest.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

const TIMEOUT = { timeout: 600_000 };
const SECRET = 'shutdown-test-secret';
const PUSH = await readFile(new URL('../fixtures/github/push.json', import.meta.url), 'utf8');
const KFP_CRD = fileURLToPath(new URL('../crds/kfp-operator.runs.pipelines.kubeflow.org.yaml', import.meta.url));

let kube: KubeApiServer;
let rest: KubeRest;
let scratch: string;
const running: ServeProcess[] = [];

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-shutdown-'));
  kube = await startKubeApiServer({ crdFiles: [KFP_CRD] });
  rest = kubeRest(kube.kubeConfig());
  await rest.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ml' } });
}, TIMEOUT);

after(async () => {
  kube?.resume();
  for (const rb of running) rb.kill('SIGKILL');
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function serve(name: string, shutdownGraceSeconds: number, options: { waitReady?: boolean } = {}): Promise<ServeProcess> {
  const dir = join(scratch, name);
  const config = {
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    server: { host: '127.0.0.1', shutdownGraceSeconds },
    github: { secrets: [{ fromEnv: 'RB_SHUTDOWN_SECRET' }] },
    sink: { type: 'kubernetes', kubeconfig: kube.kubeconfigPath, maxAttempts: 3 },
    state: { type: 'file', directory: join(dir, 'state') },
    // Each daemon its own intake: a pending event one test leaves must not run in the next one's.
    intake: { directory: join(dir, 'intake') },
    runConfigurations: [
      {
        name: `trainer-${name}`,
        namespace: 'ml',
        template: 'kfp-run',
        parameters: [
          { name: 'provider', value: 'kfp-operator/vertex-ai' },
          { name: 'pipeline', value: 'penguin-pipeline' },
          { name: 'commit', valueFrom: { event: 'sha' } },
        ],
        triggers: { git: [{ branches: ['master'] }] },
      },
    ],
  };
  const file = join(scratch, `${name}.yaml`);
  await writeFile(file, stringify(config));
  const rb = await startServe(file, { RB_SHUTDOWN_SECRET: SECRET, LOG_LEVEL: 'debug' });
  running.push(rb);
  if (options.waitReady === false) return rb;
  // Ready once the sink has reached the API server.
  for (let i = 0; ; i++) {
    const response = await fetch(`${rb.url}/readyz`);
    await response.arrayBuffer();
    if (response.status === 200) break;
    if (i > 300) throw new Error('runbridge did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return rb;
}

async function deliver(rb: ServeProcess, deliveryId: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${rb.url}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': await new Webhooks({ secret: SECRET }).sign(PUSH),
    },
    body: PUSH,
  });
  return { status: response.status, body: await response.json() };
}

/** A GET on the listener that serves `path`: /metrics on the internal one, health on the public one. */
async function get(rb: ServeProcess, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${path === '/metrics' ? rb.internalUrl : rb.url}${path}`);
  return { status: response.status, text: await response.text() };
}

/**
 * Freezes the API server and sends a delivery; resolves once the sink has sent its request for it
 * (wrapped: the answer itself comes only once the API server is back).
 */
async function deliveryInFlight(rb: ServeProcess, deliveryId: string): Promise<{ answer: Promise<{ status: number; body: any }> }> {
  const before = rb.lines.length;
  kube.pause();
  const answer = deliver(rb, deliveryId);
  answer.catch(() => {}); // awaited by the test; not an unhandled rejection meanwhile
  await rb.waitForLine(
    (l) => rb.lines.indexOf(l) >= before && l['msg'] === 'kubernetes request' && l['operation'] !== 'probe',
    30_000,
    'a Kubernetes request for the delivery',
  );
  return { answer };
}

describe('SIGTERM with an event in flight', () => {
  test('readiness 503, new deliveries 503, the in-flight delivery answered, exit 0', TIMEOUT, async () => {
    const rb = await serve('drain', 20);
    const inFlight = await deliveryInFlight(rb, 'shutdown-in-flight');
    try {
      await drainWhileInFlight(rb, inFlight.answer);
    } finally {
      kube.resume();
    }
  });
});

async function drainWhileInFlight(rb: ServeProcess, inFlight: Promise<{ status: number; body: any }>): Promise<void> {
  rb.kill('SIGTERM');
  const stopping = await rb.waitForLine((l) => String(l['msg']).startsWith('shutting down'), 10_000, 'the shutdown line');
  assert.equal(stopping['inFlight'], 1);
  assert.equal(stopping['reason'], 'received SIGTERM');

  const readyz = await get(rb, '/readyz');
  assert.equal(readyz.status, 503);
  assert.deepEqual(JSON.parse(readyz.text), { ready: false, reasons: ['shutting down'] });
  assert.equal((await get(rb, '/healthz')).status, 200, 'liveness must not fail while draining');

  const late = await deliver(rb, 'shutdown-late');
  assert.equal(late.status, 503);
  assert.equal(late.body.error.code, 'RB_NOT_READY');
  assert.equal(late.body.eventId, 'shutdown-late');

  const metrics = (await get(rb, '/metrics')).text;
  assert.match(metrics, /^runbridge_events_rejected_total\{source="github",reason="not_ready"\} 1$/m);

  kube.resume();
  const answer = await inFlight;
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.eventId, 'shutdown-in-flight');
  assert.equal(answer.body.runs[0].run.created, true);

  const exit = await rb.exited();
  assert.deepEqual(exit, { code: 0, signal: null }, rb.stderr());
  const { status } = await rest.call('GET', `/apis/pipelines.kubeflow.org/v1beta1/namespaces/ml/runs/${answer.body.runs[0].run.name}`);
  assert.equal(status, 200, 'the run of the in-flight delivery exists');
  assert.ok(rb.lines.some((l) => l['msg'] === 'runbridge stopped'));
  assert.ok(!rb.lines.some((l) => String(l['msg']).startsWith('grace period over')));
}

describe('SIGTERM when the grace period runs out', () => {
  test('the process stops waiting and exits 0 within the grace period (plus a margin)', TIMEOUT, async () => {
    const rb = await serve('grace', 2);
    const inFlight = await deliveryInFlight(rb, 'shutdown-too-slow');
    try {
      const started = Date.now();
      rb.kill('SIGTERM');
      const exit = await rb.exited();
      const seconds = (Date.now() - started) / 1000;
      assert.deepEqual(exit, { code: 0, signal: null }, rb.stderr());
      assert.ok(seconds >= 2, `exited after ${seconds}s, before the grace period ended`);
      assert.ok(seconds < 6, `exited after ${seconds}s: the grace period is 2s`);
      assert.ok(rb.lines.some((l) => String(l['msg']).startsWith('grace period over') && l['inFlight'] === 1));
      // The sender is not told the run was created: its connection is closed without an answer.
      await assert.rejects(inFlight.answer);
    } finally {
      kube.resume();
    }
  });
});

describe('SIGTERM or SIGINT with nothing in flight', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal}: exit 0 at once`, TIMEOUT, async () => {
      const rb = await serve(`idle-${signal.toLowerCase()}`, 20);
      assert.equal((await deliver(rb, `idle-${signal}`)).status, 200);
      const started = Date.now();
      rb.kill(signal);
      const exit = await rb.exited();
      const warnings = rb.lines.filter((l) => Number(l['level']) >= 40).map((l) => JSON.stringify(l));
      assert.deepEqual(exit, { code: 0, signal: null }, `log warnings and errors:\n${warnings.join('\n')}\nstderr:\n${rb.stderr()}`);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
      const stopping = rb.lines.find((l) => String(l['msg']).startsWith('shutting down'));
      assert.equal(stopping?.['reason'], `received ${signal}`);
      assert.equal(stopping?.['inFlight'], 0, rb.lines.slice(-15).map((l) => JSON.stringify(l)).join('\n'));
    });
  }
});

describe('signals at the edges', () => {
  test('SIGTERM right after `runbridge is serving` still stops gracefully (exit 0)', TIMEOUT, async () => {
    const rb = await serve('early', 20, { waitReady: false });
    rb.kill('SIGTERM');
    const exit = await rb.exited();
    assert.deepEqual(exit, { code: 0, signal: null }, rb.stderr());
    assert.ok(rb.lines.some((l) => l['msg'] === 'runbridge stopped'));
  });

  test('a second signal while draining exits at once with 1', TIMEOUT, async () => {
    const rb = await serve('twice', 20);
    const inFlight = await deliveryInFlight(rb, 'shutdown-twice');
    try {
      rb.kill('SIGTERM');
      await rb.waitForLine((l) => String(l['msg']).startsWith('shutting down'), 10_000, 'the shutdown line');
      const started = Date.now();
      rb.kill('SIGINT');
      const exit = await rb.exited();
      assert.deepEqual(exit, { code: 1, signal: null }, rb.stderr());
      assert.ok(Date.now() - started < 5_000);
      assert.ok(rb.lines.some((l) => l['msg'] === 'second signal during shutdown: exiting now' && l['signal'] === 'SIGINT'));
      await assert.rejects(inFlight.answer);
    } finally {
      kube.resume();
    }
  });
});

