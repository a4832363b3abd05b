import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { classifyFailure } from '../../src/kubernetes/classify-failure.ts';
import { createResourceDiscovery, findResource, type DiscoveredResource } from '../../src/kubernetes/resource-discovery.ts';
import type { Outcome } from '../../src/kubernetes/with-retries.ts';

/** Discovery documents as the API server lists them, subresources included. */
const documents: Record<string, DiscoveredResource[]> = {
  'pipelines.kubeflow.org/v1beta1': [
    { name: 'runs', namespaced: true, kind: 'Run' },
    { name: 'runs/status', namespaced: true, kind: 'Run' },
    { name: 'runconfigurations', namespaced: true, kind: 'RunConfiguration' },
  ],
  'tekton.dev/v1alpha1': [
    { name: 'runs/status', namespaced: true, kind: 'Run' },
    { name: 'tektonruns', namespaced: true, kind: 'Run' },
  ],
  'example.dev/v1': [{ name: 'clusterruns', namespaced: false, kind: 'ClusterRun' }],
};

/** A discovery backed by `documents` that counts its requests; unknown group/versions answer 404. */
function discoveryOver(docs: Record<string, DiscoveredResource[]>) {
  const requests: string[] = [];
  const discovery = createResourceDiscovery(async (group, version): Promise<Outcome<readonly DiscoveredResource[]>> => {
    const key = `${group}/${version}`;
    requests.push(key);
    await new Promise((r) => setImmediate(r));
    const doc = docs[key];
    if (doc) return { ok: true, value: [...doc], attempts: 1 };
    const notFound = new ApiException(404, 'not found', '{"kind":"Status","code":404,"reason":"NotFound","message":"the server could not find the requested resource"}', {});
    return { ok: false, failure: classifyFailure(notFound, 0), attempts: 1 };
  });
  return { discovery, requests };
}

describe('findResource', () => {
  test('skips subresources and maps kind to its plural', () => {
    assert.deepEqual(findResource(documents['tekton.dev/v1alpha1']!, 'Run'), { plural: 'tektonruns', namespaced: true, kind: 'Run' });
  });
  test('undefined for a kind the document lacks', () => {
    assert.equal(findResource(documents['pipelines.kubeflow.org/v1beta1']!, 'PipelineRun'), undefined);
  });
});

describe('resource discovery', () => {
  test('the two Run kinds resolve by group/version, never by kind alone', async () => {
    const { discovery } = discoveryOver(documents);
    assert.deepEqual(await discovery.lookup({ group: 'pipelines.kubeflow.org', version: 'v1beta1', kind: 'Run' }), {
      status: 'found',
      resource: { plural: 'runs', namespaced: true, kind: 'Run' },
    });
    assert.deepEqual(await discovery.lookup({ group: 'tekton.dev', version: 'v1alpha1', kind: 'Run' }), {
      status: 'found',
      resource: { plural: 'tektonruns', namespaced: true, kind: 'Run' },
    });
  });

  test('cluster-scoped kinds say so', async () => {
    const { discovery } = discoveryOver(documents);
    const found = await discovery.lookup({ group: 'example.dev', version: 'v1', kind: 'ClusterRun' });
    assert.deepEqual(found, { status: 'found', resource: { plural: 'clusterruns', namespaced: false, kind: 'ClusterRun' } });
  });

  test('a cached kind costs no request', async () => {
    const { discovery, requests } = discoveryOver(documents);
    const gvk = { group: 'pipelines.kubeflow.org', version: 'v1beta1', kind: 'Run' };
    await discovery.lookup(gvk);
    await discovery.lookup(gvk);
    await discovery.lookup({ ...gvk, kind: 'RunConfiguration' });
    assert.deepEqual(requests, ['pipelines.kubeflow.org/v1beta1']);
  });

  test('concurrent lookups of one group/version share one request', async () => {
    const { discovery, requests } = discoveryOver(documents);
    const gvk = { group: 'tekton.dev', version: 'v1alpha1', kind: 'Run' };
    const results = await Promise.all([discovery.lookup(gvk), discovery.lookup(gvk), discovery.lookup(gvk)]);
    assert.ok(results.every((r) => r.status === 'found'));
    assert.equal(requests.length, 1);
  });

  test('a kind missing from the cached document refreshes it once, and finds a CRD installed since', async () => {
    const docs: Record<string, DiscoveredResource[]> = { 'tekton.dev/v1beta1': [{ name: 'taskruns', namespaced: true, kind: 'TaskRun' }] };
    const { discovery, requests } = discoveryOver(docs);
    await discovery.lookup({ group: 'tekton.dev', version: 'v1beta1', kind: 'TaskRun' });
    assert.deepEqual(await discovery.lookup({ group: 'tekton.dev', version: 'v1beta1', kind: 'CustomRun' }), { status: 'not-served' });
    assert.equal(requests.length, 2, 'one refresh for the miss');
    docs['tekton.dev/v1beta1']!.push({ name: 'customruns', namespaced: true, kind: 'CustomRun' });
    const found = await discovery.lookup({ group: 'tekton.dev', version: 'v1beta1', kind: 'CustomRun' });
    assert.equal(found.status, 'found');
    assert.equal(requests.length, 3);
  });

  test('a group/version the server does not serve (404) is not-served', async () => {
    const { discovery } = discoveryOver(documents);
    assert.deepEqual(await discovery.lookup({ group: 'batch.tensorstack.dev', version: 'v1beta1', kind: 'WorkflowRun' }), { status: 'not-served' });
  });

  test('other failures are reported, not mistaken for not-served', async () => {
    const forbidden = new ApiException(403, 'forbidden', '{"kind":"Status","code":403,"reason":"Forbidden","message":"nope"}', {});
    const discovery = createResourceDiscovery(async () => ({ ok: false, failure: classifyFailure(forbidden, 0), attempts: 1 }));
    const result = await discovery.lookup({ group: 'tekton.dev', version: 'v1beta1', kind: 'CustomRun' });
    assert.equal(result.status, 'failed');
    if (result.status === 'failed') assert.equal(result.failure.code, 403);
  });

  test('forget() drops the cached document', async () => {
    const { discovery, requests } = discoveryOver(documents);
    const gvk = { group: 'pipelines.kubeflow.org', version: 'v1beta1', kind: 'Run' };
    await discovery.lookup(gvk);
    discovery.forget('pipelines.kubeflow.org', 'v1beta1');
    await discovery.lookup(gvk);
    assert.equal(requests.length, 2);
  });
});
