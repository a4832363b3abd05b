/**
 * The Kubernetes floor: `KubernetesObjectApi.create` of prepared manifests from `concurrency`
 * workers, with each create's latency. What any client must pay to create these runs.
 *
 * Two clients, both made once and reused for the whole benchmark, as a program would:
 * - `rawObjectApi`: `KubernetesObjectApi.makeApiClient(kc)`, nothing else. client-node 2.0 opens a
 *   new TLS connection for every request (it builds a new undici Agent per request).
 * - `keptAliveClient`: a minimal client that keeps its connections: a JSON POST to the collection
 *   with undici's request API on one dispatcher (built by client-node from the kubeconfig, once).
 *   The tightest floor: no client library at all, and no TLS handshake per create, as runbridge's
 *   sink does. (Not KubernetesObjectApi over a kept dispatcher: through client-node's fetch, undici
 *   opens a new connection for a request after a few idle milliseconds anyway.)
 */
import { HttpMethod, KubernetesObjectApi, RequestContext, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { quantile } from './stats.ts';

export interface CreateLoopResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

export type CreateObject = (manifest: KubernetesObject) => Promise<unknown>;

export function rawObjectApi(kc: KubeConfig): CreateObject {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return (manifest) => api.create(manifest);
}

export async function keptAliveClient(kc: KubeConfig, plural: string): Promise<{ create: CreateObject; close(): Promise<void> }> {
  const server = new URL(kc.getCurrentCluster()!.server);
  // The dispatcher client-node builds for one request (the kubeconfig's TLS settings), kept.
  const context = new RequestContext(server.href, HttpMethod.POST);
  await kc.applySecurityAuthentication(context);
  const dispatcher = context.getDispatcher();
  if (!dispatcher) throw new Error('the kubeconfig has no TLS settings of its own: no dispatcher to keep');
  const headers = { ...context.getHeaders(), 'content-type': 'application/json', accept: 'application/json' };
  const create: CreateObject = async (manifest) => {
    const namespace = manifest.metadata?.namespace ?? 'default';
    const response = await dispatcher.request({
      origin: server.origin,
      path: `/apis/${manifest.apiVersion}/namespaces/${namespace}/${plural}`,
      method: 'POST',
      headers,
      body: JSON.stringify(manifest),
    });
    const text = await response.body.text();
    if (response.statusCode !== 201) throw new Error(`HTTP ${response.statusCode}: ${text}`);
    return JSON.parse(text) as unknown;
  };
  return { create, close: () => dispatcher.close() };
}

export async function createLoop(create: CreateObject, manifests: readonly KubernetesObject[], concurrency: number): Promise<CreateLoopResult> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < manifests.length) {
      const manifest = manifests[next++]!;
      const t = performance.now();
      try {
        await create(manifest);
        latencies.push(performance.now() - t);
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { ok: latencies.length, failed, seconds, rate: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}
