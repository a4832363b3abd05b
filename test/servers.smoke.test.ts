// Proves the integration-test servers are real: a kube-apiserver that validates our CRDs,
// enforces RBAC and keeps data across a restart, and a nats-server with JetStream.
// The first run builds both servers from the Go module proxy (several minutes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiException, KubeConfig, KubernetesObjectApi, RbacAuthorizationV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { startKubeApiServer, type KubeApiServer } from './support/kube-apiserver.ts';
import { startNatsServer, type NatsServer } from './support/nats-server.ts';

const crdDir = join(import.meta.dirname, 'crds');
const crdFiles = readdirSync(crdDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(crdDir, f));

interface Sample {
  object: KubernetesObject & { spec: Record<string, unknown> };
  /** A path into spec that must survive the round trip. */
  check: (spec: Record<string, unknown>) => unknown;
  expected: unknown;
}

const ns = 'default';

// One object of each kind runbridge creates, in the shape runbridge renders.
const samples: Sample[] = [
  {
    object: {
      apiVersion: 'pipelines.kubeflow.org/v1beta1',
      kind: 'Run',
      metadata: { name: 'penguin-run', namespace: ns },
      spec: {
        provider: 'kfp-operator/vertex',
        pipeline: 'penguin:1.2.3',
        experimentName: 'default',
        parameters: [{ name: 'commit', value: '0123abcd' }],
      },
    },
    check: (spec) => spec['parameters'],
    expected: [{ name: 'commit', value: '0123abcd' }],
  },
  {
    object: {
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'WorkflowRun',
      metadata: { name: 'shop-run-0a1b2c3d', namespace: ns, labels: { 'openchoreo.dev/component': 'shop', 'openchoreo.dev/project': 'web' } },
      spec: { workflow: { kind: 'Workflow', name: 'docker-build', parameters: { commit: '0123abcd', nested: { depth: 1 } } }, ttlAfterCompletion: '10d1h' },
    },
    check: (spec) => spec['workflow'],
    expected: { kind: 'Workflow', name: 'docker-build', parameters: { commit: '0123abcd', nested: { depth: 1 } } },
  },
  {
    object: {
      apiVersion: 'tekton.dev/v1beta1',
      kind: 'CustomRun',
      metadata: { name: 'wait-run', namespace: ns },
      spec: { customRef: { apiVersion: 'example.dev/v1', kind: 'Wait' }, params: [{ name: 'duration', value: '5s' }] },
    },
    check: (spec) => spec['customRef'],
    expected: { apiVersion: 'example.dev/v1', kind: 'Wait' },
  },
  {
    object: {
      apiVersion: 'tekton.dev/v1alpha1',
      kind: 'Run',
      metadata: { name: 'legacy-run', namespace: ns },
      spec: { ref: { apiVersion: 'example.dev/v1', kind: 'Wait' }, params: [{ name: 'duration', value: '5s' }] },
    },
    check: (spec) => spec['ref'],
    expected: { apiVersion: 'example.dev/v1', kind: 'Wait' },
  },
  {
    object: {
      apiVersion: 'batch.tensorstack.dev/v1beta1',
      kind: 'WorkflowRun',
      metadata: { name: 'train-run', namespace: ns },
      spec: {
        workflowTemplateRef: 'train',
        params: [{ name: 'commit', value: '0123abcd' }],
        workspaces: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
        serviceAccountName: 'trainer',
        timeout: '1h',
      },
    },
    check: (spec) => [spec['params'], spec['workspaces'], spec['timeout']],
    expected: [[{ name: 'commit', value: '0123abcd' }], [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }], '1h'],
  },
  {
    object: {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'build-run', namespace: ns },
      spec: {
        pipelineRef: { name: 'build-and-push' },
        params: [{ name: 'revision', value: '0123abcd' }],
        workspaces: [{ name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }],
        timeouts: { pipeline: '1h0m0s' },
        taskRunTemplate: { serviceAccountName: 'builder' },
      },
    },
    check: (spec) => [spec['params'], spec['workspaces'], spec['timeouts'], spec['taskRunTemplate']],
    expected: [
      [{ name: 'revision', value: '0123abcd' }],
      [{ name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } }],
      { pipeline: '1h0m0s' },
      { serviceAccountName: 'builder' },
    ],
  },
  {
    object: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { name: 'prepare-run', namespace: ns },
      spec: { workflowTemplateRef: { name: 'prepare-dataset' }, arguments: { parameters: [{ name: 'commit', value: '0123abcd' }] } },
    },
    check: (spec) => [spec['workflowTemplateRef'], spec['arguments']],
    expected: [{ name: 'prepare-dataset' }, { parameters: [{ name: 'commit', value: '0123abcd' }] }],
  },
];

function objectApi(kubeconfigPath: string): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return KubernetesObjectApi.makeApiClient(kc);
}

async function apiError(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  assert.fail('expected the API server to refuse the request');
}

const label = (o: KubernetesObject): string => `${o.apiVersion} ${o.kind}`;

describe('kube-apiserver', () => {
  let kube: KubeApiServer;
  let admin: KubernetesObjectApi;

  before(async () => {
    const started = Date.now();
    kube = await startKubeApiServer({ crdFiles });
    admin = objectApi(kube.kubeconfigPath);
    process.stderr.write(`kube-apiserver ready with ${crdFiles.length} CRDs in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  });
  after(async () => {
    await kube?.stop();
  });

  test('installs every CRD in test/crds, including our TensorStack one', async () => {
    // Installing again is harmless (server-side apply), and reports what is served.
    const installed = (await kube.installCrds(crdFiles)).map((crd) => `${crd.kind}.${crd.group} ${crd.versions.join(',')}`).sort();
    assert.deepEqual(installed, [
      'CustomRun.tekton.dev v1beta1',
      'PipelineRun.tekton.dev v1,v1beta1',
      'Run.pipelines.kubeflow.org v1beta1,v1alpha6',
      'Run.tekton.dev v1alpha1',
      'Workflow.argoproj.io v1alpha1',
      'WorkflowRun.batch.tensorstack.dev v1beta1',
      'WorkflowRun.openchoreo.dev v1alpha1',
    ]);
  });

  test('creates one object of each kind and reads it back', async () => {
    for (const sample of samples) {
      const created = await admin.create(sample.object);
      assert.ok(created.metadata?.uid, `${label(sample.object)} has a uid`);
      const read = await admin.read<typeof sample.object>({
        apiVersion: sample.object.apiVersion!,
        kind: sample.object.kind!,
        metadata: { name: sample.object.metadata!.name!, namespace: ns },
      });
      assert.equal(read.metadata?.uid, created.metadata?.uid);
      assert.deepEqual(sample.check(read.spec), sample.expected, `${label(sample.object)} spec survives the round trip`);
    }
  });

  test('the schemas are enforced: invalid objects are rejected and unknown fields pruned', async () => {
    const badProvider = await apiError(
      admin.create({ apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', metadata: { name: 'bad', namespace: ns }, spec: { provider: 'no slash' } }),
    );
    assert.equal(badProvider.code, 422);
    assert.match(String(badProvider.body), /spec\.provider/);

    const badParam = await apiError(
      admin.create({ apiVersion: 'batch.tensorstack.dev/v1beta1', kind: 'WorkflowRun', metadata: { name: 'bad', namespace: ns }, spec: { params: [{ value: 'x' }] } }),
    );
    assert.equal(badParam.code, 422);
    assert.match(String(badParam.body), /spec\.params\[0\]\.name: Required value/);

    const badTtl = await apiError(
      admin.create({ apiVersion: 'openchoreo.dev/v1alpha1', kind: 'WorkflowRun', metadata: { name: 'bad', namespace: ns }, spec: { workflow: { name: 'w' }, ttlAfterCompletion: '1 day' } }),
    );
    assert.equal(badTtl.code, 422);

    const badPipelineParam = await apiError(
      admin.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'bad', namespace: ns }, spec: { pipelineRef: { name: 'p' }, params: [{ name: 'x' }] } }),
    );
    assert.equal(badPipelineParam.code, 422);
    assert.match(String(badPipelineParam.body), /spec\.params\[0\]\.value: Required value/);
    const prunedPipelineRun = (await admin.create({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'pruned-pipelinerun', namespace: ns },
      spec: { pipelineRef: { name: 'p' }, notAField: true },
    } as KubernetesObject)) as { spec?: Record<string, unknown> };
    assert.deepEqual(prunedPipelineRun.spec, { pipelineRef: { name: 'p' } }, 'the PipelineRun schema prunes unknown spec fields');

    const pruned = await admin.create({
      apiVersion: 'batch.tensorstack.dev/v1beta1',
      kind: 'WorkflowRun',
      metadata: { name: 'pruned', namespace: ns },
      spec: { workflowTemplateRef: 't', notAField: true, workflowTemplateSpec: { type: 'Pod', pod: { containers: [] } } },
    } as KubernetesObject);
    const spec = (pruned as { spec?: Record<string, unknown> }).spec ?? {};
    assert.equal(spec['notAField'], undefined, 'unknown spec field pruned');
    assert.deepEqual(spec['workflowTemplateSpec'], { type: 'Pod', pod: { containers: [] } }, 'embedded template kept as is');
  });

  test('RBAC: a user without create permission gets a real 403', async () => {
    const alice = objectApi(await kube.createUserKubeconfig('alice', ['runbridge-testers']));
    const sample = samples[0]!.object;
    const forbidden = await apiError(alice.create({ ...sample, metadata: { name: 'from-alice', namespace: ns } }));
    assert.equal(forbidden.code, 403);
    assert.match(String(forbidden.body), /User \\?"alice\\?" cannot create resource \\?"runs\\?" in API group \\?"pipelines.kubeflow.org\\?"/);

    // Allowed to read but still not to create: the 403 is about the verb, not the user.
    const kc = kube.kubeConfig();
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: ns,
      body: { metadata: { name: 'run-reader' }, rules: [{ apiGroups: ['pipelines.kubeflow.org'], resources: ['runs'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'testers-read-runs' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'run-reader' },
        subjects: [{ kind: 'Group', name: 'runbridge-testers', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    const read = await alice.read({ apiVersion: sample.apiVersion!, kind: sample.kind!, metadata: { name: sample.metadata!.name!, namespace: ns } });
    assert.equal(read.metadata?.name, sample.metadata!.name);
    const stillForbidden = await apiError(alice.create({ ...sample, metadata: { name: 'from-alice', namespace: ns } }));
    assert.equal(stillForbidden.code, 403);
  });

  test('objects survive a restart of the API server; requests fail while it is down', async () => {
    await kube.shutdown();
    const sample = samples[4]!.object;
    const header = { apiVersion: sample.apiVersion!, kind: sample.kind!, metadata: { name: sample.metadata!.name!, namespace: ns } };
    await assert.rejects(admin.read(header), (error: Error) => {
      assert.match(`${error.message} ${String((error as { cause?: unknown }).cause)}`, /ECONNREFUSED/);
      return true;
    });
    const started = Date.now();
    await kube.start();
    process.stderr.write(`kube-apiserver restarted in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    for (const s of samples) {
      const read = await admin.read({ apiVersion: s.object.apiVersion!, kind: s.object.kind!, metadata: { name: s.object.metadata!.name!, namespace: ns } });
      assert.deepEqual(s.check((read as typeof s.object).spec), s.expected, `${label(s.object)} survived the restart`);
    }
  });
});

describe('nats-server', () => {
  let nats: NatsServer;

  before(async () => {
    nats = await startNatsServer({ jetstream: true });
  });
  after(async () => {
    await nats?.stop();
  });

  test('publishes and receives a message', async () => {
    const nc = await connect({ servers: nats.url });
    try {
      const sub = nc.subscribe('runbridge.smoke', { max: 1 });
      nc.publish('runbridge.smoke', 'hello');
      const received: string[] = [];
      for await (const msg of sub) received.push(msg.string());
      assert.deepEqual(received, ['hello']);
    } finally {
      await nc.close();
    }
  });

  test('JetStream is enabled and its store survives a restart', async () => {
    let nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    const account = await jsm.getAccountInfo();
    assert.equal(account.streams, 0);
    await jsm.streams.add({ name: 'RUNS', subjects: ['runs.>'] });
    const ack = await jetstream(nc).publish('runs.completed', JSON.stringify({ run: 'penguin' }));
    assert.equal(ack.stream, 'RUNS');
    assert.equal(ack.seq, 1);
    await nc.close();

    await nats.restart();
    nc = await connect({ servers: nats.url });
    try {
      const stored = await (await jetstreamManager(nc)).streams.getMessage('RUNS', { seq: 1 });
      assert.ok(stored, 'message 1 is still in the stream');
      assert.equal(stored.subject, 'runs.completed');
      assert.deepEqual(stored.json(), { run: 'penguin' });
    } finally {
      await nc.close();
    }
  });
});
