import {
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { requestTimeout } from './request-timeout.ts';
import type { DiscoveredResource } from './resource-discovery.ts';
import { sharedConnections } from './shared-connections.ts';

/**
 * The four API server calls the Kubernetes sink makes, over @kubernetes/client-node 2.x (which
 * throws ApiException with the HTTP code, the body and the headers for any non-2xx answer). Every
 * request carries a timeout, so a hung API server is a retryable failure, not a stuck webhook, and
 * goes over the client's kept-alive connections (shared-connections.ts), not a new TLS handshake.
 */
export interface ResourceTarget {
  group: string;
  version: string;
  plural: string;
  /** undefined for cluster-scoped resources. */
  namespace: string | undefined;
}

export interface KubeObject {
  metadata?: { name?: string; namespace?: string; uid?: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface KubeClient {
  /** `GET /version`: the cheapest proof that the API server answers and accepts our credentials. */
  version(): Promise<unknown>;
  /** `GET /apis/<group>/<version>`. */
  resources(group: string, version: string): Promise<DiscoveredResource[]>;
  create(target: ResourceTarget, body: object, dryRun: boolean): Promise<KubeObject>;
  get(target: ResourceTarget, name: string): Promise<KubeObject>;
  /** Closes the kept-alive connections (after their requests finish). */
  close(): Promise<void>;
}

export const FIELD_MANAGER = 'runbridge';

export function createKubeClient(kc: KubeConfig, requestTimeoutMs: number): KubeClient {
  const objects = kc.makeApiClient(CustomObjectsApi);
  const versions = kc.makeApiClient(VersionApi);
  const connections = sharedConnections(kc);
  const options = { ...requestTimeout(requestTimeoutMs), authMethods: { default: connections } };
  return {
    version: () => versions.getCode(options),
    async resources(group, version) {
      const list = await objects.getAPIResources({ group, version }, options);
      return list.resources.map((r) => ({ name: r.name, namespaced: r.namespaced, kind: r.kind }));
    },
    create(target, body, dryRun) {
      const common = { group: target.group, version: target.version, plural: target.plural, body, fieldManager: FIELD_MANAGER };
      const params = dryRun ? { ...common, dryRun: 'All' } : common;
      return target.namespace === undefined
        ? objects.createClusterCustomObject(params, options)
        : objects.createNamespacedCustomObject({ ...params, namespace: target.namespace }, options);
    },
    get(target, name) {
      const common = { group: target.group, version: target.version, plural: target.plural, name };
      return target.namespace === undefined
        ? objects.getClusterCustomObject(common, options)
        : objects.getNamespacedCustomObject({ ...common, namespace: target.namespace }, options);
    },
    close: () => connections.close(),
  };
}

