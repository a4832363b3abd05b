/**
 * RunControl for runs in the Kubernetes API: read one back, and stop one as its kind's descriptor
 * says (src/runs/kinds/): a merge patch the engine acts on (Tekton `spec.status`, Argo
 * `spec.shutdown`), so the run winds down and the object stays for inspection, or deleting it for a
 * kind without a cancel field (KFP-Operator, OpenChoreo, TensorStack). A run that is already gone
 * reads as undefined and cancels as a no-op; a kind without a descriptor is an UnknownRunKindError.
 *
 * Resources are found from the API server's discovery document by group/version/kind, as the
 * sink does. Requests are rate limited and retried on 429/5xx/connection failures.
 */
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { UnknownRunKindError } from '../../errors.ts';
import { requestTimeout } from '../../kubernetes/request-timeout.ts';
import { describeRunKinds, findRunKind } from '../../runs/run-kinds.ts';
import type { RunControl } from '../../runs/run-control.ts';
import type { RunRef } from '../../runs/run-ref.ts';
import { DEFAULT_BACKOFF } from '../../kubernetes/backoff-delay.ts';
import { formatGroupVersionKind, parseGroupVersionKind } from '../../kubernetes/group-version-kind.ts';
import { createKubeClient, type ResourceTarget } from '../../kubernetes/kube-client.ts';
import { createResourceDiscovery } from '../../kubernetes/resource-discovery.ts';
import { toSinkError } from './to-sink-error.ts';
import { createTokenBucket } from '../../kubernetes/token-bucket.ts';
import { withRetries, type Outcome } from '../../kubernetes/with-retries.ts';

export interface KubernetesRunControlOptions {
  /** Where the API server is and the credentials to use (loadKubeConfig). */
  kubeConfig: KubeConfig;
  qps?: number;
  burst?: number;
  maxAttempts?: number;
  /** Per request; default 30 s. */
  requestTimeoutMs?: number;
}

export function createKubernetesRunControl(options: KubernetesRunControlOptions): RunControl {
  const kc = options.kubeConfig;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const client = createKubeClient(kc, timeoutMs);
  const objects = kc.makeApiClient(CustomObjectsApi);
  const limiter = createTokenBucket({ qps: options.qps ?? 20, burst: options.burst ?? 40 });
  const retry = { maxAttempts: options.maxAttempts ?? 3, limiter, backoff: { ...DEFAULT_BACKOFF, random: Math.random }, clock: Date.now, sleep };
  const request = <T>(call: () => Promise<T>): Promise<Outcome<T>> => withRetries(call, retry);
  const discovery = createResourceDiscovery((group, version) => request(() => client.resources(group, version)));

  const targetOf = async (ref: RunRef): Promise<ResourceTarget | undefined> => {
    const gvk = parseGroupVersionKind(ref.apiVersion, ref.kind);
    const found = await discovery.lookup(gvk);
    if (found.status === 'failed') throw toSinkError(found.failure, `discovering ${formatGroupVersionKind(gvk)}`, found.attempts);
    if (found.status === 'not-served') return undefined;
    const { resource } = found;
    return { group: gvk.group, version: gvk.version, plural: resource.plural, namespace: resource.namespaced ? ref.namespace : undefined };
  };
  const subject = (ref: RunRef): string => `${formatGroupVersionKind(parseGroupVersionKind(ref.apiVersion, ref.kind))} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
  const params = (target: ResourceTarget, name: string) => ({ group: target.group, version: target.version, plural: target.plural, name });

  return {
    async get(ref) {
      const target = await targetOf(ref);
      if (!target) return undefined;
      const read = await request(() => client.get(target, ref.name));
      if (read.ok) return read.value as Record<string, unknown>;
      if (read.failure.code === 404) return undefined;
      throw toSinkError(read.failure, subject(ref), read.attempts);
    },
    async cancel(ref) {
      const kind = findRunKind(ref.apiVersion, ref.kind);
      if (!kind) throw new UnknownRunKindError(ref.apiVersion, ref.kind, describeRunKinds());
      const target = await targetOf(ref);
      if (!target) return;
      const { cancel } = kind;
      const outcome = await request((): Promise<unknown> => {
        if (cancel.by === 'patch') {
          const body = cancel.patch;
          const patchOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch, requestTimeout(timeoutMs));
          return target.namespace === undefined
            ? objects.patchClusterCustomObject({ ...params(target, ref.name), body }, patchOptions)
            : objects.patchNamespacedCustomObject({ ...params(target, ref.name), namespace: target.namespace, body }, patchOptions);
        }
        const deleteOptions = { ...params(target, ref.name), propagationPolicy: 'Background' };
        return target.namespace === undefined
          ? objects.deleteClusterCustomObject(deleteOptions, requestTimeout(timeoutMs))
          : objects.deleteNamespacedCustomObject({ ...deleteOptions, namespace: target.namespace }, requestTimeout(timeoutMs));
      });
      if (outcome.ok || outcome.failure.code === 404) return;
      throw toSinkError(outcome.failure, `cancelling ${subject(ref)}`, outcome.attempts);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

