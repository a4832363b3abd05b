/**
 * The Kubernetes floor: `KubernetesObjectApi.create` of prepared manifests from `concurrency`
 * workers, with each create's latency. What any client must pay to create these runs.
 */
import { KubernetesObjectApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { quantile } from './stats.ts';

export interface CreateLoopResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

export async function createLoop(kc: KubeConfig, manifests: readonly KubernetesObject[], concurrency: number): Promise<CreateLoopResult> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < manifests.length) {
      const manifest = manifests[next++]!;
      const t = performance.now();
      try {
        await api.create(manifest);
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
