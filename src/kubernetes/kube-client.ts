import {
  ApiException,
  CustomObjectsApi,
  VersionApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { requestTimeout } from './request-timeout.ts';
import type { DiscoveredResource } from './resource-discovery.ts';
import { resourcePath } from './resource-path.ts';
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
const USER_AGENT = 'runbridge';

export function createKubeClient(kc: KubeConfig, requestTimeoutMs: number): KubeClient {
  const objects = kc.makeApiClient(CustomObjectsApi);
  const versions = kc.makeApiClient(VersionApi);
  const connections = sharedConnections(kc);
  const options = { ...requestTimeout(requestTimeoutMs), authMethods: { default: connections } };
  const server = new URL(kc.getCurrentCluster()?.server ?? 'https://localhost');
  const origin = server.origin;
  const basePath = server.pathname.replace(/\/+$/, '');

  /**
   * One request on the shared dispatcher with undici's own request API: a create costs half the
   * CPU of client-node's fetch-based path (no WHATWG Request/Response/streams, no generic
   * serializer), and the connection is free for the next request as soon as the answer is read
   * (through client-node's fetch, undici opens a new connection for the next request once the
   * first has been idle a few milliseconds, and keeps both open). The same contract: JSON in and
   * out, ApiException with code, body text and headers for any non-2xx answer, the timeout's
   * TimeoutError (or the network error) otherwise.
   * Without a dispatcher of our own (no TLS settings in the kubeconfig) `fallback` sends it through
   * client-node, on its default dispatcher.
   */
  const send = async (method: 'GET' | 'POST', path: string, body: string | undefined, fallback: () => Promise<object>): Promise<KubeObject> => {
    const { headers, dispatcher } = await connections.connection();
    if (!dispatcher) return (await fallback()) as KubeObject;
    const response = await dispatcher.request({
      origin,
      path: basePath + path,
      method,
      headers: {
        ...headers,
        accept: 'application/json',
        'user-agent': USER_AGENT,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body ?? null,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.body.text();
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode <= 299) return JSON.parse(text) as KubeObject;
    throw new ApiException(statusCode, `${method} ${path}`, text, flatHeaders(response.headers));
  };

  return {
    version: () => send('GET', '/version', undefined, () => versions.getCode(options)),
    async resources(group, version) {
      const list = (await send('GET', `/apis/${group}/${version}`, undefined, () => objects.getAPIResources({ group, version }, options))) as {
        resources?: Array<{ name: string; namespaced: boolean; kind: string }>;
      };
      return (list.resources ?? []).map((r) => ({ name: r.name, namespaced: r.namespaced, kind: r.kind }));
    },
    create(target, body, dryRun) {
      const query = `?fieldManager=${FIELD_MANAGER}${dryRun ? '&dryRun=All' : ''}`;
      return send('POST', collectionPath(target) + query, JSON.stringify(body), () => {
        const common = { group: target.group, version: target.version, plural: target.plural, body, fieldManager: FIELD_MANAGER };
        const params = dryRun ? { ...common, dryRun: 'All' } : common;
        return target.namespace === undefined
          ? objects.createClusterCustomObject(params, options)
          : objects.createNamespacedCustomObject({ ...params, namespace: target.namespace }, options);
      });
    },
    get(target, name) {
      return send('GET', resourcePath(target, name), undefined, () => {
        const common = { group: target.group, version: target.version, plural: target.plural, name };
        return target.namespace === undefined
          ? objects.getClusterCustomObject(common, options)
          : objects.getNamespacedCustomObject({ ...common, namespace: target.namespace }, options);
      });
    },
    close: () => connections.close(),
  };
}

/** The collection a run is created in: `/apis/<group>/<version>[/namespaces/<ns>]/<plural>`. */
function collectionPath(target: ResourceTarget): string {
  const location = resourcePath(target, '');
  return location.slice(0, -1);
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}
