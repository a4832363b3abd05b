// concurrencyPolicy Forbid/Replace against a real kube-apiserver with the real CRDs: the runs are
// created by the Kubernetes sink, their status is written by the test (through the status
// subresource where the CRD has one, as a Tekton, KFP-Operator or Argo controller would), and the
// Kubernetes RunControl reads and cancels them as each kind's descriptor says. The first run builds the server (several minutes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { UnknownRunKindError } from '../../src/errors.ts';
import { createKubernetesSink, type KubernetesSink } from '../../src/sinks/kubernetes/create-kubernetes-sink.ts';
import { createKubernetesRunControl } from '../../src/sinks/kubernetes/run-control.ts';
import type { RunRef } from '../../src/runs/run-ref.ts';
import { findRunKind } from '../../src/runs/run-kinds.ts';
import { readSlot } from '../../src/sources/cron/slot-record.ts';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { createHarness, type Harness } from './scheduler-harness.ts';

const crdDir = join(import.meta.dirname, '..', 'crds');

let kube: KubeApiServer;
let objects: CustomObjectsApi;
const sinks: KubernetesSink[] = [];
const harnesses: Harness[] = [];

before(async () => {
  const files = [
    'tekton.customruns.tekton.dev.yaml',
    'tekton.runs.tekton.dev.v1alpha1.yaml',
    'kfp-operator.runs.pipelines.kubeflow.org.yaml',
    'tekton.pipelineruns.tekton.dev.yaml',
    'argo.workflows.argoproj.io.yaml',
  ];
  kube = await startKubeApiServer({ crdFiles: files.map((f) => join(crdDir, f)) });
  objects = kube.kubeConfig().makeApiClient(CustomObjectsApi);
});
after(async () => {
  for (const h of harnesses) await h.close();
  for (const s of sinks) await s.close();
  await kube?.stop();
});

const TEKTON = [
  { name: 'customApiVersion', value: 'example.dev/v1' },
  { name: 'customKind', value: 'Train' },
];
const KFP = [
  { name: 'provider', value: 'kfp/vertex' },
  { name: 'pipeline', value: 'penguin' },
];

/** One run configuration `default/<name>` of `template` with one hourly schedule under `policy`. */
async function harness(name: string, template: string, parameters: object[], policy: string): Promise<Harness> {
  const config = stringify({
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    runConfigurations: [{ name, namespace: 'default', template, parameters, triggers: { schedules: [{ cron: '0 * * * *', concurrencyPolicy: policy }] } }],
  });
  const kubeConfig = kube.kubeConfig();
  const sink = createKubernetesSink({ kubeConfig, qps: 50, burst: 100, maxAttempts: 3, probeIntervalMs: 0 });
  sinks.push(sink);
  const h = await createHarness(config, { start: '2026-01-10T00:00:00Z', sink, runControl: createKubernetesRunControl({ kubeConfig }) });
  harnesses.push(h);
  return h;
}

function target(run: RunRef): { group: string; version: string; plural: string; namespace: string; name: string } {
  const [group = '', version = ''] = run.apiVersion.split('/');
  const plural = findRunKind(run.apiVersion, run.kind)!.resource;
  return { group, version, plural, namespace: run.namespace, name: run.name };
}

async function read(run: RunRef): Promise<Record<string, unknown> | undefined> {
  try {
    return (await objects.getNamespacedCustomObject(target(run))) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw error;
  }
}

/** Writes the run's status through the status subresource, as its controller would. */
async function writeStatus(run: RunRef, status: object): Promise<void> {
  await objects.patchNamespacedCustomObjectStatus({ ...target(run), body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
}

const succeeded = { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', lastTransitionTime: '2026-01-10T01:30:00Z' }] };

async function lastRun(h: Harness, rc: string): Promise<RunRef> {
  const run = (await readSlot(h.store, rc, 0)).record?.lastRun;
  assert.ok(run, 'a run was recorded');
  return run;
}

async function runNames(plural: string, group: string, version: string, prefix: string): Promise<string[]> {
  const list = (await objects.listNamespacedCustomObject({ group, version, plural, namespace: 'default' })) as { items: { metadata: { name: string } }[] };
  return list.items.map((i) => i.metadata.name).filter((n) => n.startsWith(prefix)).sort();
}

describe('concurrencyPolicy against the API server', () => {
  test('Forbid: a CustomRun without a terminal Succeeded condition blocks the next slot; once it succeeded, the next one fires', async () => {
    const h = await harness('forbid-customrun', 'tekton-customrun', TEKTON, 'Forbid');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/forbid-customrun');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(await h.slots('skipped_forbid'), 1);
    assert.deepEqual(await runNames('customruns', 'tekton.dev', 'v1beta1', 'forbid-customrun-'), [first.name]);

    await writeStatus(first, { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] });
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.equal(await h.slots('skipped_forbid'), 2, 'Succeeded=Unknown is still running');

    await writeStatus(first, succeeded);
    await h.at(s, '2026-01-10T04:00:00Z');
    assert.deepEqual(h.ticks.map((t) => t.schedule?.slot), ['2026-01-10T01:00:00.000Z', '2026-01-10T04:00:00.000Z']);
    assert.equal((await runNames('customruns', 'tekton.dev', 'v1beta1', 'forbid-customrun-')).length, 2);
  });

  test('Forbid: a KFP-Operator Run counts as finished once status.completionState is Failed', async () => {
    const h = await harness('forbid-kfp', 'kfp-run', KFP, 'Forbid');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(h.ticks.length, 1);
    await writeStatus(await lastRun(h, 'default/forbid-kfp'), { completionState: 'Failed' });
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.equal(h.ticks.length, 2);
  });

  test('Replace: a running CustomRun is cancelled with spec.status CustomRunCancelled and the new one created', async () => {
    const h = await harness('replace-customrun', 'tekton-customrun', TEKTON, 'Replace');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/replace-customrun');
    await h.at(s, '2026-01-10T02:00:00Z');
    const second = await lastRun(h, 'default/replace-customrun');
    assert.notEqual(second.name, first.name);
    assert.equal(((await read(first)) as { spec: { status?: string } }).spec.status, 'CustomRunCancelled');
    assert.equal(((await read(second)) as { spec: { status?: string } }).spec.status, undefined, 'the new run is not cancelled');
    assert.equal(await h.slots('replaced'), 1);
  });

  test('Replace: a legacy tekton.dev/v1alpha1 Run is cancelled with spec.status RunCancelled', async () => {
    const h = await harness('replace-run', 'tekton-run', TEKTON, 'Replace');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/replace-run');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(((await read(first)) as { spec: { status?: string } }).spec.status, 'RunCancelled');
    assert.equal((await runNames('runs', 'tekton.dev', 'v1alpha1', 'replace-run-')).length, 2);
  });

  test('Replace: a KFP-Operator Run, which has no cancel field, is deleted; a finished one is left alone', async () => {
    const h = await harness('replace-kfp', 'kfp-run', KFP, 'Replace');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/replace-kfp');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(await read(first), undefined, 'deleted');
    const second = await lastRun(h, 'default/replace-kfp');
    await writeStatus(second, { completionState: 'Succeeded' });
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.ok(await read(second), 'a succeeded run is not replaced');
    assert.equal(await h.slots('replaced'), 1);
    assert.equal((await runNames('runs', 'pipelines.kubeflow.org', 'v1beta1', 'replace-kfp-')).length, 2);
  });

  test('Replace: a Tekton PipelineRun still running is cancelled with spec.status Cancelled and stays', async () => {
    const h = await harness('replace-pipeline', 'tekton-pipelinerun', [{ name: 'pipelineRef', value: 'build' }], 'Replace');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/replace-pipeline');
    assert.equal(first.apiVersion, 'tekton.dev/v1');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(((await read(first)) as { spec: { status?: string } }).spec.status, 'Cancelled');
    assert.equal((await runNames('pipelineruns', 'tekton.dev', 'v1', 'replace-pipeline-')).length, 2);
  });

  test('Replace: an Argo Workflow still running is stopped with spec.shutdown Terminate; a succeeded one is left alone', async () => {
    const h = await harness('replace-workflow', 'argo-workflow', [{ name: 'workflowTemplate', value: 'train' }], 'Replace');
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = await lastRun(h, 'default/replace-workflow');
    await h.at(s, '2026-01-10T02:00:00Z');
    const stopped = (await read(first)) as { spec: { shutdown?: string; workflowTemplateRef?: unknown } };
    assert.equal(stopped.spec.shutdown, 'Terminate');
    assert.deepEqual(stopped.spec.workflowTemplateRef, { name: 'train' }, 'the patch adds to the spec');
    const second = await lastRun(h, 'default/replace-workflow');
    // Argo's minimal CRD has no status subresource: the workflow controller writes the object itself.
    await objects.patchNamespacedCustomObject({ ...target(second), body: { status: { phase: 'Succeeded', finishedAt: '2026-01-10T02:30:00Z' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.equal(((await read(second)) as { spec: { shutdown?: string } }).spec.shutdown, undefined, 'a succeeded workflow is not stopped');
    assert.equal(await h.slots('replaced'), 1);
    assert.equal((await runNames('workflows', 'argoproj.io', 'v1alpha1', 'replace-workflow-')).length, 3);
  });

  test('RunControl: a run that does not exist reads as undefined and cancels as a no-op', async () => {
    const control = createKubernetesRunControl({ kubeConfig: kube.kubeConfig() });
    const missing = { apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', namespace: 'default', name: 'no-such-run' };
    assert.equal(await control.get(missing), undefined);
    await control.cancel(missing);
    await control.cancel({ ...missing, apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run' });
    assert.equal(await control.get({ ...missing, apiVersion: 'example.dev/v1', kind: 'NotInstalled' }), undefined, 'a kind not served');
    await assert.rejects(control.cancel({ ...missing, apiVersion: 'example.dev/v1', kind: 'NotInstalled' }), UnknownRunKindError, 'a kind without a descriptor has no known way to stop it');
  });
});
