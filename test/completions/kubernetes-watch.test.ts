// The Kubernetes status watch against a real kube-apiserver, for every run kind runbridge creates:
// the engine's status written through the status subresource becomes one completion event.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { startKubernetesWatch, type KubernetesWatch } from '../../src/sources/completions/kubernetes/start-kubernetes-watch.ts';
import { watchTargetsOf, type WatchTarget } from '../../src/sources/completions/kubernetes/watch-targets.ts';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { captureLogger, sleep, waitFor, type CapturedLogger } from './harness.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NS = 'ml';
const at = '2025-03-01T02:41:12Z';
const condition = (type: string, status: string) => ({ type, status, reason: type, message: `${type} ${status}`, lastTransitionTime: at });

interface Kind {
  readonly name: string;
  readonly golden: string;
  readonly plural: string;
  readonly running: Record<string, unknown>;
  readonly succeeded: Record<string, unknown>;
  readonly failed: Record<string, unknown>;
  readonly artifacts: { name: string; location: string }[];
  /** false for a CRD without a status subresource (Argo's minimal one): the engine writes the whole object. */
  readonly statusSubresource?: boolean;
}

const KINDS: Kind[] = [
  {
    name: 'kfp',
    golden: 'kfp-run.minimal.yaml',
    plural: 'runs',
    running: { completionState: '' },
    succeeded: { completionState: 'Succeeded' },
    failed: { completionState: 'Failed' },
    artifacts: [],
  },
  {
    name: 'tekton-customrun',
    golden: 'tekton-customrun.minimal.yaml',
    plural: 'customruns',
    running: { conditions: [condition('Succeeded', 'Unknown')] },
    succeeded: {
      conditions: [condition('Succeeded', 'True')],
      startTime: '2025-03-01T02:00:00Z',
      completionTime: at,
      results: [
        { name: 'examples', value: 'gs://bucket/examples/17' },
        { name: 'schema', value: 'gs://bucket/schema/3' },
      ],
    },
    failed: { conditions: [condition('Succeeded', 'False')] },
    artifacts: [
      { name: 'examples', location: 'gs://bucket/examples/17' },
      { name: 'schema', location: 'gs://bucket/schema/3' },
    ],
  },
  {
    name: 'tekton-run',
    golden: 'tekton-run.minimal.yaml',
    plural: 'runs',
    running: { conditions: [condition('Succeeded', 'Unknown')] },
    succeeded: { conditions: [condition('Succeeded', 'True')], results: [{ name: 'image', value: 'registry/app@sha256:0123' }] },
    failed: { conditions: [condition('Succeeded', 'False')] },
    artifacts: [{ name: 'image', location: 'registry/app@sha256:0123' }],
  },
  {
    name: 'openchoreo',
    golden: 'openchoreo-workflowrun.minimal.yaml',
    plural: 'workflowruns',
    running: { conditions: [condition('WorkflowRunning', 'True')] },
    succeeded: { conditions: [condition('WorkflowCompleted', 'True'), condition('WorkflowSucceeded', 'True')] },
    failed: { conditions: [condition('WorkflowCompleted', 'True'), condition('WorkflowFailed', 'True')] },
    artifacts: [],
  },
  {
    name: 'tensorstack',
    golden: 'tensorstack-workflowrun.minimal.yaml',
    plural: 'workflowruns',
    running: { phase: 'Running' },
    succeeded: { phase: 'Succeeded', completionTime: at },
    failed: { phase: 'Failed', message: 'step train failed' },
    artifacts: [],
  },
  {
    name: 'tekton-pipelinerun',
    golden: 'tekton-pipelinerun.minimal.yaml',
    plural: 'pipelineruns',
    running: { conditions: [condition('Succeeded', 'Unknown')], startTime: '2025-03-01T02:00:00Z' },
    succeeded: {
      conditions: [condition('Succeeded', 'True')],
      startTime: '2025-03-01T02:00:00Z',
      completionTime: at,
      results: [
        { name: 'image-digest', value: 'sha256:0123' },
        { name: 'tags', value: ['latest', '6113728'] },
      ],
    },
    failed: { conditions: [condition('Succeeded', 'False')], startTime: '2025-03-01T02:00:00Z', completionTime: at },
    artifacts: [{ name: 'image-digest', location: 'sha256:0123' }],
  },
  {
    name: 'argo-workflow',
    golden: 'argo-workflow.minimal.yaml',
    plural: 'workflows',
    running: { phase: 'Running', startedAt: '2025-03-01T02:00:00Z', progress: '1/3' },
    succeeded: { phase: 'Succeeded', startedAt: '2025-03-01T02:00:00Z', finishedAt: at, outputs: { parameters: [{ name: 'model-uri', value: 'gs://bucket/models/17' }] } },
    failed: { phase: 'Failed', startedAt: '2025-03-01T02:00:00Z', finishedAt: at, message: 'child failed' },
    artifacts: [{ name: 'model-uri', location: 'gs://bucket/models/17' }],
    statusSubresource: false,
  },
];

let kube: KubeApiServer;
let kc: KubeConfig;
let objects: CustomObjectsApi;
const manifests = new Map<string, Record<string, unknown>>();

before(async () => {
  // No watch cache, and compaction every second: a watch resumed from an old resource version gets 410 Gone.
  kube = await startKubeApiServer({
    crdFiles: crdFiles(),
    extraArgs: ['--watch-cache=false', '--etcd-compaction-interval=1s'],
  });
  kc = kube.kubeConfig();
  objects = kc.makeApiClient(CustomObjectsApi);
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  for (const kind of KINDS) manifests.set(kind.name, parse(await readFile(`${root}test/render/golden/${kind.golden}`, 'utf8')) as Record<string, unknown>);
});
after(() => kube?.stop());

function crdFiles(): string[] {
  const files = [
    'kfp-operator.runs.pipelines.kubeflow.org.yaml',
    'openchoreo.workflowruns.openchoreo.dev.yaml',
    'tekton.customruns.tekton.dev.yaml',
    'tekton.runs.tekton.dev.v1alpha1.yaml',
    'tensorstack.workflowruns.batch.tensorstack.dev.yaml',
    'tekton.pipelineruns.tekton.dev.yaml',
    'argo.workflows.argoproj.io.yaml',
  ];
  return files.map((f) => `${root}test/crds/${f}`);
}

function targets(): WatchTarget[] {
  return KINDS.map((k) => {
    const m = manifests.get(k.name)!;
    return { apiVersion: m['apiVersion'] as string, kind: m['kind'] as string, namespace: NS };
  });
}

function gvr(kind: Kind): { group: string; version: string; plural: string } {
  const [group = '', version = ''] = (manifests.get(kind.name)!['apiVersion'] as string).split('/');
  return { group, version, plural: kind.plural };
}

/** Creates a run of `kind` as runbridge would have (its labels and annotations), optionally not labelled as runbridge's. */
async function createRun(kind: Kind, name: string, options: { foreign?: boolean } = {}): Promise<string> {
  const manifest = structuredClone(manifests.get(kind.name)!) as { metadata: Record<string, unknown> & { labels: Record<string, string> } };
  manifest.metadata['name'] = name;
  manifest.metadata['namespace'] = NS;
  if (options.foreign) delete manifest.metadata.labels['app.kubernetes.io/managed-by'];
  const created = (await objects.createNamespacedCustomObject({ ...gvr(kind), namespace: NS, body: manifest })) as { metadata: { uid: string } };
  return created.metadata.uid;
}

/** Writes the run's status as the engine's controller does: through the status subresource where the CRD has one. */
async function writeStatus(kind: Kind, name: string, status: Record<string, unknown>): Promise<void> {
  const current = (await objects.getNamespacedCustomObject({ ...gvr(kind), namespace: NS, name })) as Record<string, unknown>;
  const request = { ...gvr(kind), namespace: NS, name, body: { ...current, status } };
  if (kind.statusSubresource === false) await objects.replaceNamespacedCustomObject(request);
  else await objects.replaceNamespacedCustomObjectStatus(request);
}

/** A handler that dedupes by run id, as the chaining core does: `handled` holds what it acted on. */
function dedupingHandler(failFirst: Set<string> = new Set()) {
  const received: RunbridgeEvent[] = [];
  const handled = new Map<string, RunbridgeEvent>();
  return {
    received,
    handled,
    handle: async (event: RunbridgeEvent) => {
      received.push(event);
      const runId = event.completion?.runId ?? event.id;
      if (failFirst.delete(runId)) return { status: 503 };
      if (handled.has(runId)) return { status: 200, body: { outcome: 'duplicate' } };
      handled.set(runId, event);
      return { status: 200, body: { outcome: 'dispatched' } };
    },
  };
}

async function watch(handler: ReturnType<typeof dedupingHandler>, log: CapturedLogger, config: KubeConfig = kc): Promise<KubernetesWatch> {
  return startKubernetesWatch({ kc: config, targets: targets(), handle: handler.handle, logger: log.logger, retry: { baseMs: 100, capMs: 400 }, restartDelayMs: 200 });
}

describe('Kubernetes status watch', () => {
  const handler = dedupingHandler();
  const uids = new Map<string, string>();

  test('watch targets come from the configured templates', async () => {
    const loaded = await loadConfig(`${root}examples/quickstart.yaml`, { env: { GITHUB_WEBHOOK_SECRET: 'x' } });
    const found = watchTargetsOf(loaded.runConfigurations);
    assert.deepEqual(found.problems, []);
    assert.deepEqual(
      found.targets.map((t) => `${t.apiVersion} ${t.kind} ${t.namespace}`).sort(),
      [
        'argoproj.io/v1alpha1 Workflow ml',
        'batch.tensorstack.dev/v1beta1 WorkflowRun ml',
        'openchoreo.dev/v1alpha1 WorkflowRun default',
        'pipelines.kubeflow.org/v1beta1 Run ml',
        'tekton.dev/v1 PipelineRun ci',
        'tekton.dev/v1alpha1 Run ci',
        'tekton.dev/v1beta1 CustomRun ci',
      ],
    );
  });

  for (const kind of KINDS) {
    test(`${kind.name}: terminal status → one completion event with the right status and artifacts`, async () => {
      const log = captureLogger();
      const source = await watch(handler, log);
      try {
        assert.deepEqual(source.reasons(), []);
        const name = `${kind.name}-ok`;
        const uid = await createRun(kind, name);
        uids.set(kind.name, uid);
        await createRun(kind, `${kind.name}-foreign`, { foreign: true });
        await writeStatus(kind, name, kind.running);
        await writeStatus(kind, `${kind.name}-foreign`, kind.succeeded);
        await sleep(300);
        assert.equal(handler.handled.has(uid), false, 'a running run is no completion');
        await writeStatus(kind, name, kind.succeeded);
        await waitFor(`${kind.name} completion`, () => handler.handled.has(uid));
        const event = handler.handled.get(uid)!;
        assert.equal(event.id, `${uid}:succeeded`);
        assert.equal(event.source, 'kubernetes');
        assert.equal(event.type, 'org.kubeflow.pipelines.run-completion');
        assert.equal(event.trigger, 'runConfiguration');
        assert.equal(event.completion?.status, 'succeeded');
        assert.equal(event.completion?.runConfigurationName, 'ml-pipelines/penguin-training');
        assert.equal(event.completion?.runName, name);
        assert.equal(event.completion?.runNamespace, NS);
        assert.deepEqual(event.completion?.artifacts, kind.artifacts);
        await sleep(300);
        assert.equal(handler.received.filter((e) => e.completion?.runId === uid).length, 1, 'later updates do not repeat it');
        assert.equal(handler.received.some((e) => e.completion?.runName === `${kind.name}-foreign`), false, 'runs runbridge did not create are not watched');
      } finally {
        await source.stop();
      }
    });
  }

  test('a kind without a descriptor is not watched, and reasons() says why', async () => {
    const log = captureLogger();
    const unknown: WatchTarget = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', namespace: NS };
    const source = await startKubernetesWatch({ kc, targets: [unknown], handle: dedupingHandler().handle, logger: log.logger });
    try {
      assert.deepEqual(source.reasons(), [
        `tekton.dev/v1 TaskRun in ${NS}: runbridge cannot read the status of this kind (known: pipelines.kubeflow.org/v1beta1 Run, tekton.dev/v1beta1 CustomRun, tekton.dev/v1alpha1 Run, openchoreo.dev/v1alpha1 WorkflowRun, batch.tensorstack.dev/v1beta1 WorkflowRun, tekton.dev/v1 PipelineRun, argoproj.io/v1alpha1 Workflow)`,
      ]);
      assert.ok(!log.lines.some((l) => l['msg'] === 'watching runs for completion'), 'no informer started');
    } finally {
      await source.stop();
    }
  });

  test('a failed run, and a failed handling retried until handled', async () => {
    const failFirst = new Set<string>();
    const failing = dedupingHandler(failFirst);
    const log = captureLogger();
    const source = await watch(failing, log);
    try {
      const kind = KINDS[4]!;
      const uid = await createRun(kind, 'tensorstack-broken');
      failFirst.add(uid);
      await writeStatus(kind, 'tensorstack-broken', kind.failed);
      await waitFor('handled after a retry', () => failing.handled.has(uid));
      assert.equal(failing.received.filter((e) => e.completion?.runId === uid).length, 2);
      assert.equal(failing.handled.get(uid)?.id, `${uid}:failed`);
      assert.equal(failing.handled.get(uid)?.completion?.status, 'failed');
      assert.ok(log.lines.some((l) => l['msg'] === 'completion of a watched run failed; trying again after a pause'));
    } finally {
      await source.stop();
    }
  });

  test('restarting the watcher: the same completions again (same ids, deduped), and one that finished while it was down', async () => {
    const kind = KINDS[1]!;
    const uid = await createRun(kind, 'tekton-while-down');
    await writeStatus(kind, 'tekton-while-down', kind.failed);
    const seen = (runUid: string) => handler.received.filter((e) => e.completion?.runId === runUid);
    const counts = new Map([...uids].map(([name, runUid]) => [name, seen(runUid).length]));
    const log = captureLogger();
    const source = await watch(handler, log);
    try {
      await waitFor('the run that finished while down', () => handler.handled.has(uid));
      for (const [name, runUid] of uids) {
        await waitFor(`${name} seen again`, () => seen(runUid).length === (counts.get(name) ?? 0) + 1);
        assert.deepEqual(new Set(seen(runUid).map((e) => e.id)), new Set([`${runUid}:succeeded`]), 'the same id every time');
        assert.equal(handler.handled.get(runUid), seen(runUid)[0], `${name}: handled once, the repeat was a duplicate`);
      }
      assert.equal(handler.handled.get(uid)?.completion?.status, 'failed');
    } finally {
      await source.stop();
    }
  });

  test('410 Gone: a watch resumed from a compacted resource version lists again and misses nothing', async () => {
    const proxy: TcpProxy = await startTcpProxy(kube.port);
    after(() => proxy.close());
    const viaProxy = new KubeConfig();
    viaProxy.loadFromOptions({
      clusters: kc.clusters.map((c) => ({ ...c, server: `https://127.0.0.1:${proxy.port}` })),
      users: kc.users,
      contexts: kc.contexts,
      currentContext: kc.currentContext,
    });
    const gone = dedupingHandler();
    const log = captureLogger();
    const kind = KINDS[0]!;
    const source = await startKubernetesWatch({ kc: viaProxy, targets: [targets()[0]!], handle: gone.handle, logger: log.logger, restartDelayMs: 200 });
    try {
      const uid = await createRun(kind, 'kfp-behind-a-cut');
      await sleep(300);
      const lists = () => log.lines.filter((l) => l['msg'] === 'listed runs').length;
      assert.equal(lists(), 1);
      await proxy.cut();
      await writeStatus(kind, 'kfp-behind-a-cut', kind.succeeded);
      for (let i = 0; i < 4; i++) {
        await createRun(kind, `kfp-churn-${i}`);
        await sleep(1_000); // compaction runs every second, a revision behind
      }
      await waitFor('the watch to notice the cut', () => source.reasons().length > 0);
      await proxy.restore();
      await waitFor('the completion that happened during the cut', () => gone.handled.has(uid), 60_000);
      assert.equal(lists(), 2, 'the old resource version was gone, so the informer listed again');
      await waitFor('watching again', () => source.reasons().length === 0);
    } finally {
      await source.stop();
      await proxy.close();
    }
  });
});
