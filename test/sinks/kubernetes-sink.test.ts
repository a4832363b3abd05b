// The Kubernetes sink without an API server: what it does when none answers, and what it refuses
// before sending anything. Everything with a server is in kubernetes-sink.integration.test.ts.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, SinkError } from '../../src/errors.ts';
import { createKubernetesSink, type KubeRequest } from '../../src/sinks/kubernetes/create-kubernetes-sink.ts';
import { loadKubeConfig } from '../../src/kubernetes/load-kube-config.ts';
import type { RunManifest } from '../../src/runs/run-manifest.ts';

const scratch = await mkdtemp(join(tmpdir(), 'runbridge-kube-config-'));
after(() => rm(scratch, { recursive: true, force: true }));

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

const run: RunManifest = {
  apiVersion: 'pipelines.kubeflow.org/v1beta1',
  kind: 'Run',
  metadata: { name: 'penguin-training-1a2b3c4d5e', namespace: 'ml' },
  spec: { provider: 'kfp-operator/vertex' },
};

describe('kubernetes sink without an API server', () => {
  test('not ready; a submit retries maxAttempts times with backoff, then fails 503 retryable', async () => {
    const requests: KubeRequest[] = [];
    const sleeps: number[] = [];
    const sink = createKubernetesSink({
      kubeConfig: kubeConfigFor(`https://127.0.0.1:${await closedPort()}`),
      qps: 100,
      burst: 100,
      maxAttempts: 4,
      probeIntervalMs: 0,
      random: () => 1,
      sleep: async (ms) => void sleeps.push(ms),
      onRequest: (r) => requests.push(r),
    });
    assert.equal(await sink.start(), false);
    assert.equal(sink.ready(), false);
    const error = await sink.submit(run).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SinkError);
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.match(error.message, /ECONNREFUSED/);
    assert.match(error.message, /4 attempts/);
    const discovers = requests.filter((r) => r.operation === 'discover');
    assert.deepEqual(discovers.map((r) => r.attempt), [1, 2, 3, 4]);
    assert.deepEqual(sleeps, [200, 400, 800]);
    assert.equal(sink.ready(), false);
    await sink.close();
  });

  test('refuses a core-group kind (v1 Pod) with a 422, without a request', async () => {
    const requests: KubeRequest[] = [];
    const sink = createKubernetesSink({
      kubeConfig: kubeConfigFor(`https://127.0.0.1:${await closedPort()}`),
      qps: 100,
      burst: 100,
      maxAttempts: 1,
      probeIntervalMs: 0,
      onRequest: (r) => requests.push(r),
    });
    await sink.start();
    const before = requests.length;
    const pod: RunManifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ml' } };
    await assert.rejects(sink.submit(pod), (e: unknown) => e instanceof SinkError && e.status === 422 && /core API kinds are not runs/.test(e.message));
    assert.equal(requests.length, before);
    await sink.close();
  });

  test('a closed sink refuses with a retryable 503', async () => {
    const sink = createKubernetesSink({ kubeConfig: kubeConfigFor(`https://127.0.0.1:${await closedPort()}`), qps: 1, burst: 1, maxAttempts: 1, probeIntervalMs: 0 });
    await sink.close();
    assert.equal(sink.ready(), false);
    await assert.rejects(sink.submit(run), { name: 'SinkError', status: 503 });
  });
});

describe('loadKubeConfig', () => {
  const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: one
    cluster: { server: 'https://one.example:6443' }
  - name: two
    cluster: { server: 'https://two.example:6443' }
users:
  - name: u
    user: { token: t }
contexts:
  - name: first
    context: { cluster: one, user: u }
  - name: second
    context: { cluster: two, user: u }
current-context: first
`;

  test('an explicit file, its current context', async () => {
    const path = join(scratch, 'config');
    await writeFile(path, kubeconfig);
    assert.equal(loadKubeConfig({ kubeconfig: path, env: {} }).getCurrentCluster()?.server, 'https://one.example:6443');
  });

  test('an explicit context', async () => {
    const path = join(scratch, 'config');
    await writeFile(path, kubeconfig);
    assert.equal(loadKubeConfig({ kubeconfig: path, context: 'second', env: {} }).getCurrentCluster()?.server, 'https://two.example:6443');
  });

  const broken: Array<[string, () => Promise<{ kubeconfig: string; context?: string }>, string, RegExp]> = [
    ['an unknown context', async () => ({ kubeconfig: join(scratch, 'config'), context: 'third' }), 'sink.context', /"third" is not in the kubeconfig \(contexts: first, second\)/],
    ['a missing file', async () => ({ kubeconfig: join(scratch, 'nope') }), 'sink.kubeconfig', /cannot load Kubernetes credentials/],
  ];
  for (const [label, options, path, message] of broken) {
    test(`${label} is a ConfigError at ${path}`, async () => {
      await writeFile(join(scratch, 'config'), kubeconfig);
      const opts = await options();
      assert.throws(
        () => loadKubeConfig({ ...opts, env: {} }),
        (e: unknown) => e instanceof ConfigError && e.issues[0]?.path === path && message.test(e.issues[0].message),
      );
    });
  }
});
