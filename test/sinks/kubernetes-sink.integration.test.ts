// The Kubernetes sink against a real kube-apiserver (etcd embedded, x509 authentication, RBAC)
// with the real CRDs of every run kind. The first run builds the server (several minutes).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ApiException, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { SinkError } from '../../src/errors.ts';
import { createKubernetesSink, type KubeRequest, type KubernetesSink, type KubernetesSinkOptions } from '../../src/sinks/kubernetes/create-kubernetes-sink.ts';
import { EVENT_ID_ANNOTATION } from '../../src/sinks/kubernetes/event-id-annotation.ts';
import type { RunManifest } from '../../src/runs/run-manifest.ts';
import { parseAllDocuments } from 'yaml';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';

const crdDir = join(import.meta.dirname, '..', 'crds');
const TENSORSTACK_CRD = join(crdDir, 'tensorstack.workflowruns.batch.tensorstack.dev.yaml');
// Everything but TensorStack, which a test installs later (a kind that is not served, then is).
const crdFiles = readdirSync(crdDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(crdDir, f))
  .filter((f) => f !== TENSORSTACK_CRD);

/** A cluster-scoped kind, to prove those are created without a namespace. */
const CLUSTER_SCOPED_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: clusterruns.example.runbridge.dev }
spec:
  group: example.runbridge.dev
  scope: Cluster
  names: { kind: ClusterRun, plural: clusterruns, singular: clusterrun, listKind: ClusterRunList }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

const ns = 'default';
let kube: KubeApiServer;
let scratch: string;
const sinks: KubernetesSink[] = [];

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-kube-sink-'));
  const clusterCrd = join(scratch, 'clusterruns.yaml');
  await writeFile(clusterCrd, CLUSTER_SCOPED_CRD);
  kube = await startKubeApiServer();
  await installCrdsVerbatim([...crdFiles, clusterCrd]);
});

/**
 * Installs CRDs exactly as written, as `kubectl create -f` would. (The typed ApiextensionsV1Api
 * serializer only knows camelCase property names, so it silently drops every
 * `x-kubernetes-preserve-unknown-fields`, which prunes free-form fields and makes Tekton's
 * CustomRun CRD invalid; the untyped custom objects API sends the body as is.)
 */
async function installCrdsVerbatim(files: string[]): Promise<void> {
  const api = kube.kubeConfig().makeApiClient(CustomObjectsApi);
  const crd = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
  const names: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(file, 'utf8'))) {
      const body = doc.toJS() as { metadata: { name: string } } | null;
      if (!body) continue;
      await api.createClusterCustomObject({ ...crd, body });
      names.push(body.metadata.name);
    }
  }
  for (const name of names) {
    for (let i = 0; ; i++) {
      const current = (await api.getClusterCustomObject({ ...crd, name })) as { status?: { conditions?: Array<{ type: string; status: string }> } };
      if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (i > 300) throw new Error(`CRD ${name} was not Established`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

after(async () => {
  for (const sink of sinks) await sink.close();
  await kube?.stop();
  await rm(scratch, { recursive: true, force: true });
});

/** A sink on the test server that records every request attempt. */
function sinkFor(overrides: Partial<KubernetesSinkOptions> = {}, kubeconfigPath = kube.kubeconfigPath) {
  const requests: KubeRequest[] = [];
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const sink = createKubernetesSink({ kubeConfig: kc, qps: 50, burst: 100, maxAttempts: 4, probeIntervalMs: 0, onRequest: (r) => requests.push(r), ...overrides });
  sinks.push(sink);
  return { sink, requests };
}

const unique = (prefix: string): string => `${prefix}-${randomBytes(5).toString('hex')}`;

function withEvent(run: RunManifest, eventId: string): RunManifest {
  return { ...run, metadata: { ...run.metadata, annotations: { ...run.metadata.annotations, [EVENT_ID_ANNOTATION]: eventId } } };
}

/** One run of each kind, in the shape runbridge renders. */
function runsOfEachKind(eventId: string): Array<{ run: RunManifest; plural: string }> {
  const meta = (prefix: string) => ({ name: unique(prefix), namespace: ns, annotations: { [EVENT_ID_ANNOTATION]: eventId } });
  return [
    {
      plural: 'runs',
      run: {
        apiVersion: 'pipelines.kubeflow.org/v1beta1',
        kind: 'Run',
        metadata: meta('penguin-training'),
        spec: { provider: 'kfp-operator/vertex', pipeline: 'penguin:1.2.3', parameters: [{ name: 'commit', value: '0123abcd' }] },
      },
    },
    {
      plural: 'workflowruns',
      run: {
        apiVersion: 'openchoreo.dev/v1alpha1',
        kind: 'WorkflowRun',
        metadata: { ...meta('shop-run'), labels: { 'openchoreo.dev/component': 'shop', 'openchoreo.dev/project': 'web' } },
        spec: { workflow: { kind: 'ClusterWorkflow', name: 'docker-build', parameters: { commit: '0123abcd' } } },
      },
    },
    {
      plural: 'customruns',
      run: {
        apiVersion: 'tekton.dev/v1beta1',
        kind: 'CustomRun',
        metadata: meta('wait'),
        spec: { customRef: { apiVersion: 'example.dev/v1', kind: 'Wait' }, params: [{ name: 'duration', value: '5s' }] },
      },
    },
    {
      plural: 'runs',
      run: {
        apiVersion: 'tekton.dev/v1alpha1',
        kind: 'Run',
        metadata: meta('legacy'),
        spec: { ref: { apiVersion: 'example.dev/v1', kind: 'Wait' }, params: [{ name: 'duration', value: '5s' }] },
      },
    },
    {
      plural: 'pipelineruns',
      run: {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: meta('build'),
        spec: { pipelineRef: { name: 'build-and-push' }, params: [{ name: 'revision', value: '0123abcd' }], timeouts: { pipeline: '1h0m0s' } },
      },
    },
    {
      plural: 'workflows',
      run: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: meta('prepare'),
        spec: { workflowTemplateRef: { name: 'prepare-dataset' }, arguments: { parameters: [{ name: 'commit', value: '0123abcd' }] } },
      },
    },
  ];
}

function kfpRun(eventId: string, name = unique('penguin-training')): RunManifest {
  return {
    apiVersion: 'pipelines.kubeflow.org/v1beta1',
    kind: 'Run',
    metadata: { name, namespace: ns, annotations: { [EVENT_ID_ANNOTATION]: eventId } },
    spec: { provider: 'kfp-operator/vertex', pipeline: 'penguin:1.2.3' },
  };
}

const admin = () => kube.kubeConfig().makeApiClient(CustomObjectsApi);

async function readBack(run: RunManifest, plural: string): Promise<Record<string, any>> {
  const [group, version] = run.apiVersion.split('/') as [string, string];
  return admin().getNamespacedCustomObject({ group, version, namespace: ns, plural, name: run.metadata.name });
}

/** How many objects of the KFP Run kind in `ns` carry this event id. */
async function kfpRunsOfEvent(eventId: string): Promise<number> {
  const list = await admin().listNamespacedCustomObject({ group: 'pipelines.kubeflow.org', version: 'v1beta1', namespace: ns, plural: 'runs' });
  return (list.items as Array<{ metadata: { annotations?: Record<string, string> } }>).filter((o) => o.metadata.annotations?.[EVENT_ID_ANNOTATION] === eventId).length;
}

async function rejection(promise: Promise<unknown>): Promise<SinkError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SinkError, `expected a SinkError, got ${String(error)}`);
    return error;
  }
  return assert.fail('expected the submit to fail');
}

describe('kubernetes sink (real kube-apiserver)', () => {
  test('ready after the first probe', async () => {
    const { sink } = sinkFor();
    assert.equal(await sink.start(), true);
    assert.equal(sink.ready(), true);
  });

  test('creates each run kind, and what it created reads back', async () => {
    const { sink } = sinkFor();
    for (const { run, plural } of runsOfEachKind(unique('delivery'))) {
      const result = await sink.submit(run);
      const [group, version] = run.apiVersion.split('/');
      assert.equal(result.created, true, run.apiVersion);
      assert.equal(result.dryRun, false);
      assert.equal(result.location, `/apis/${group}/${version}/namespaces/${ns}/${plural}/${run.metadata.name}`);
      const stored = await readBack(run, plural);
      assert.equal(stored['metadata'].uid, result.uid);
      assert.equal(stored['kind'], run.kind);
      assert.deepEqual(stored['metadata'].annotations, run.metadata.annotations);
      assert.deepEqual(stored['spec'], run['spec']);
    }
  });

  test('the two Run kinds with one name are two objects', async () => {
    const { sink } = sinkFor();
    const name = unique('same-name');
    const [kfp, tekton] = ['pipelines.kubeflow.org/v1beta1', 'tekton.dev/v1alpha1'].map((apiVersion) =>
      runsOfEachKind('e').map((r) => r.run).find((r) => r.apiVersion === apiVersion)!,
    );
    const a = await sink.submit({ ...kfp!, metadata: { ...kfp!.metadata, name } });
    const b = await sink.submit({ ...tekton!, metadata: { ...tekton!.metadata, name } });
    assert.deepEqual([a.created, b.created], [true, true]);
    assert.notEqual(a.uid, b.uid);
  });

  test('a cluster-scoped kind is created without a namespace', async () => {
    const { sink } = sinkFor();
    const name = unique('cluster');
    const result = await sink.submit(withEvent({ apiVersion: 'example.runbridge.dev/v1', kind: 'ClusterRun', metadata: { name, namespace: 'ignored' }, spec: { a: 1 } }, 'e'));
    assert.equal(result.location, `/apis/example.runbridge.dev/v1/clusterruns/${name}`);
    assert.equal(result.namespace, '');
    const stored = await admin().getClusterCustomObject({ group: 'example.runbridge.dev', version: 'v1', plural: 'clusterruns', name });
    assert.equal((stored as { metadata: { uid: string } }).metadata.uid, result.uid);
  });

  test('the same run twice: one object, the second submit created: false with the same uid', async () => {
    const { sink } = sinkFor();
    const eventId = unique('delivery');
    const run = kfpRun(eventId);
    const first = await sink.submit(run);
    const second = await sink.submit(run);
    assert.deepEqual([first.created, second.created], [true, false]);
    assert.equal(second.uid, first.uid);
    assert.equal(await kfpRunsOfEvent(eventId), 1);
  });

  test('concurrent submits of one name from two sinks: all succeed, exactly one created, one object', async () => {
    const a = sinkFor();
    const b = sinkFor();
    const eventId = unique('delivery');
    const run = kfpRun(eventId);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a.sink : b.sink).submit(run)));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => r.uid)).size, 1);
    assert.equal(await kfpRunsOfEvent(eventId), 1);
  });

  test('an object of that name created for another event (or by hand) is a 409 conflict, left untouched', async () => {
    const { sink } = sinkFor();
    const name = unique('penguin-training');
    const theirs = await sink.submit(kfpRun('someone-else', name));
    const unannotated = unique('penguin-training');
    await admin().createNamespacedCustomObject({
      group: 'pipelines.kubeflow.org',
      version: 'v1beta1',
      namespace: ns,
      plural: 'runs',
      body: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', metadata: { name: unannotated }, spec: { provider: 'kfp-operator/vertex' } },
    });
    for (const [target, existing] of [[name, '"someone-else"'], [unannotated, 'missing']] as const) {
      const error = await rejection(sink.submit(kfpRun('our-event', target)));
      assert.equal(error.status, 409);
      assert.equal(error.retryable, false);
      assert.match(error.message, /^conflict: .* exists and was not created by runbridge for this event/);
      assert.ok(error.message.includes(`is ${existing}`), error.message);
    }
    const stored = await readBack(kfpRun('x', name), 'runs');
    assert.equal(stored['metadata'].uid, theirs.uid);
    assert.equal(stored['metadata'].annotations[EVENT_ID_ANNOTATION], 'someone-else');
  });

  test('a kind whose CRD is not installed is a 404 naming group/version/kind; once installed, it is found', async () => {
    const { sink, requests } = sinkFor();
    const run: RunManifest = withEvent(
      {
        apiVersion: 'batch.tensorstack.dev/v1beta1',
        kind: 'WorkflowRun',
        metadata: { name: unique('train'), namespace: ns },
        spec: { workflowTemplateRef: 'train', params: [{ name: 'commit', value: '0123abcd' }] },
      },
      'e',
    );
    const error = await rejection(sink.submit(run));
    assert.equal(error.status, 404);
    assert.equal(error.retryable, false);
    assert.equal(error.message, 'batch.tensorstack.dev/v1beta1 WorkflowRun is not served by the API server: is its CRD installed?');
    assert.equal(requests.filter((r) => r.operation === 'create').length, 0, 'no create is attempted for a kind that is not served');

    await installCrdsVerbatim([TENSORSTACK_CRD]);
    let result;
    for (let i = 0; i < 50 && result === undefined; i++) {
      result = await sink.submit(run).catch(async (e: unknown) => {
        if (!(e instanceof SinkError) || e.status !== 404) throw e;
        await new Promise((r) => setTimeout(r, 200));
        return undefined;
      });
    }
    assert.equal(result?.created, true, 'the same sink finds the CRD installed after it started');
    assert.match(result?.location ?? '', /\/apis\/batch\.tensorstack\.dev\/v1beta1\/namespaces\/default\/workflowruns\//);
  });

  test('a schema violation is a 422 with the API server field message, not retried', async (t) => {
    const { sink, requests } = sinkFor();
    const run = kfpRun('e');
    (run['spec'] as Record<string, unknown>)['provider'] = 'not a valid provider';
    const error = await rejection(sink.submit(run));
    assert.equal(error.status, 422);
    assert.equal(error.retryable, false);
    assert.match(error.message, /spec\.provider/);
    assert.match(error.message, /should match/);
    t.diagnostic(error.message);
    assert.ok(error.message.includes(run.metadata.name));
    assert.equal(requests.filter((r) => r.operation === 'create').length, 1);
  });

  test('an unprivileged user gets a 403 with the API server message, from exactly one request', async (t) => {
    const kubeconfig = await kube.createUserKubeconfig('mallory');
    const { sink, requests } = sinkFor({ maxAttempts: 6 }, kubeconfig);
    const error = await rejection(sink.submit(kfpRun('e')));
    assert.equal(error.status, 403);
    assert.equal(error.retryable, false);
    assert.match(error.message, /User "mallory" cannot create resource "runs" in API group "pipelines.kubeflow.org" in the namespace "default"/);
    const creates = requests.filter((r) => r.operation === 'create');
    assert.equal(creates.length, 1, 'no retry storm');
    t.diagnostic(`${error.message}; requests: ${requests.map((r) => `${r.operation} ${r.path}`).join(', ')}`);
    assert.ok(requests.every((r) => r.attempt === 1), `no request was retried: ${JSON.stringify(requests)}`);
  });

  test('dry run (per submit and as an option) validates and creates nothing', async () => {
    for (const [label, options, submitOptions] of [
      ['per submit', {}, { dryRun: true }],
      ['sink option', { dryRun: true }, {}],
    ] as const) {
      const { sink } = sinkFor(options);
      const eventId = unique('dry');
      const run = kfpRun(eventId);
      const result = await sink.submit(run, submitOptions);
      assert.deepEqual([result.dryRun, result.created], [true, true], label);
      await assert.rejects(readBack(run, 'runs'), (e: unknown) => e instanceof ApiException && e.code === 404);
      assert.equal(await kfpRunsOfEvent(eventId), 0);

      const invalid = kfpRun(eventId);
      (invalid['spec'] as Record<string, unknown>)['provider'] = 'not a valid provider';
      assert.equal((await rejection(sink.submit(invalid, submitOptions))).status, 422, 'a dry run still validates');
    }
  });

  test('requests share kept-alive connections: the probe, discovery and 6 creates one after another use one connection', async () => {
    let connections = 0;
    const proxy = createServer((client) => {
      connections++;
      const upstream = connect(kube.port, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const admin = kube.kubeConfig();
      const kc = new KubeConfig();
      const server = `https://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      kc.loadFromOptions({ clusters: admin.clusters.map((c) => ({ ...c, server })), users: admin.users, contexts: admin.contexts, currentContext: admin.currentContext });
      const { sink, requests } = sinkFor({ kubeConfig: kc });
      assert.equal(await sink.start(), true);
      for (let i = 0; i < 6; i++) assert.equal((await sink.submit(kfpRun(unique('kept-alive')))).created, true);
      assert.deepEqual(
        requests.map((r) => r.operation),
        ['probe', 'discover', 'create', 'create', 'create', 'create', 'create', 'create'],
      );
      assert.equal(connections, 1, 'every request after the first reuses its connection');
      // Concurrent creates need at most one connection each, never one per request.
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => sink.submit(kfpRun(unique(`kept-alive-${i % 4}`)))));
      assert.ok(results.every((r) => r.created));
      assert.ok(connections <= 1 + 12 / 2, `12 concurrent creates opened ${connections - 1} more connections`);
    } finally {
      proxy.close();
    }
  });

  test('an API server that stops answering: each attempt times out, the submit fails 503 retryable; answering again, it works', { timeout: 30_000 }, async () => {
    const { sink, requests } = sinkFor({ requestTimeoutMs: 300, maxAttempts: 2, backoff: { baseMs: 10, capMs: 10 } });
    await sink.submit(kfpRun('warm-up'));
    kube.pause();
    try {
      const started = Date.now();
      const error = await rejection(sink.submit(kfpRun(unique('hung'))));
      const took = Date.now() - started;
      assert.equal(error.status, 503);
      assert.equal(error.retryable, true);
      assert.match(error.message, /2 attempts/);
      assert.equal(requests.filter((r) => r.operation === 'create').length, 3, 'the warm-up, then two timed-out attempts');
      assert.ok(took >= 600 && took < 5_000, `two 300 ms timeouts took ${took} ms`);
      assert.equal(sink.ready(), false, 'not ready while the API server does not answer');
    } finally {
      kube.resume();
    }
    const eventId = unique('answering-again');
    assert.equal((await sink.submit(kfpRun(eventId))).created, true);
    assert.equal(await kfpRunsOfEvent(eventId), 1);
    assert.equal(sink.ready(), true);
  });

  // Last: it stops the server.
  test('the API server goes away and comes back while a submit is retrying: it succeeds, one object', async (t) => {
    const failures: string[] = [];
    const logger = { debug: () => {}, warn: (obj: object) => failures.push(`${(obj as { status?: number }).status ?? (obj as { reason: string }).reason}`) };
    const { sink, requests } = sinkFor({ maxAttempts: 60, probeIntervalMs: 250, backoff: { capMs: 2_000 }, logger });
    await sink.submit(kfpRun('warm-up'));
    assert.equal(sink.ready(), true);

    await kube.shutdown();
    const eventId = unique('during-outage');
    const submitted = sink.submit(kfpRun(eventId));
    const deadline = Date.now() + 30_000;
    while (requests.filter((r) => r.operation === 'create' && r.attempt >= 2).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(requests.some((r) => r.operation === 'create' && r.attempt >= 2), 'the submit is retrying');
    assert.equal(sink.ready(), false, 'not ready while the API server is unreachable');

    await new Promise((r) => setTimeout(r, 1_000));
    const restarting = Date.now();
    await kube.start();
    const result = await submitted;
    const creates = requests.filter((r) => r.operation === 'create').length;
    t.diagnostic(`restart took ${Date.now() - restarting} ms; ${creates} create attempts; retried failures: ${[...new Set(failures)].join(' | ')}`);
    assert.equal(result.created, true);
    assert.equal(await kfpRunsOfEvent(eventId), 1);
    assert.equal(sink.ready(), true);
  });
});
