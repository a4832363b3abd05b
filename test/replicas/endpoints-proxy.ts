/**
 * A small load balancer in front of replicas, doing what a Service does with its endpoints: it
 * round-robins over the endpoints that are ready and not terminating. Readiness is what the pod's
 * readiness probe sees — `GET /readyz` polled every `pollMs` (200 is ready; anything else, or no
 * answer, is not). A pod marked terminating leaves the endpoints at the proxy's next sync of it
 * (within `pollMs`): the endpoints controller takes a deleted pod out at once, whatever its
 * readiness, and kube-proxy follows a moment later — meanwhile deliveries still reach the pod, in
 * its preStop pause. Like kube-proxy it does not retry: when the chosen replica cannot be reached,
 * the sender's connection is cut. Like an Ingress controller it keeps keep-alive connections to the
 * replicas (Node's default agent), so a stopping replica also sees requests on pooled connections.
 *
 *   const proxy = await startEndpointsProxy({ pollMs: 1_000 });
 *   proxy.add('a', replicaA.url);
 *   await proxy.routable('a', 30_000);
 *   ... POST proxy.url/webhooks/github ...
 *   proxy.terminate('a');          // the pod is being deleted: no new deliveries reach it after the next sync
 *   proxy.remove('a');             // the pod is gone
 */
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  readonly endpoint: string;
  readonly at: number;
}

export interface EndpointsProxy {
  readonly url: string;
  /** A pod that exists: routed to once its readiness is seen 200. */
  add(name: string, url: string): void;
  /** The pod is being deleted: taken out of the endpoints at the next sync. */
  terminate(name: string): void;
  /** The pod is gone: out of the endpoints at the next sync (if it was not already), then no more probes. */
  remove(name: string): void;
  /** Resolves once `name` is among the endpoints deliveries go to. */
  routable(name: string, timeoutMs: number): Promise<void>;
  /** Where each delivery (by X-GitHub-Delivery) was sent, in order. */
  readonly routes: ReadonlyMap<string, readonly Route[]>;
  /** When each pod marked terminating was taken out of the endpoints (epoch ms). */
  readonly removedAt: ReadonlyMap<string, number>;
  /** Requests answered 503 because no endpoint was ready. */
  noEndpoint(): number;
  close(): Promise<void>;
}

interface Endpoint {
  readonly name: string;
  readonly url: URL;
  ready: boolean;
  /** Marked terminating; taken out at the next sync. */
  deleted: boolean;
  /** The pod is gone; forgotten at the next sync. */
  gone: boolean;
  terminating: boolean;
  readonly timer: NodeJS.Timeout;
}

export async function startEndpointsProxy(options: { pollMs: number }): Promise<EndpointsProxy> {
  const endpoints = new Map<string, Endpoint>();
  const routes = new Map<string, Route[]>();
  const removedAt = new Map<string, number>();
  let next = 0;
  let noEndpoint = 0;

  const serving = (): Endpoint[] => [...endpoints.values()].filter((e) => e.ready && !e.terminating);

  const probe = async (endpoint: Endpoint): Promise<void> => {
    const status = await fetch(new URL('/readyz', endpoint.url), { signal: AbortSignal.timeout(options.pollMs) })
      .then(async (response) => (await response.arrayBuffer(), response.status))
      .catch(() => 0);
    endpoint.ready = status === 200;
  };
  const sync = (endpoint: Endpoint): void => {
    if (endpoint.deleted && !endpoint.terminating) {
      endpoint.terminating = true;
      removedAt.set(endpoint.name, Date.now());
    }
    if (endpoint.gone) {
      clearInterval(endpoint.timer);
      endpoints.delete(endpoint.name);
      return;
    }
    void probe(endpoint);
  };

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const candidates = serving();
    const endpoint = candidates[next++ % Math.max(1, candidates.length)];
    if (!endpoint) {
      noEndpoint++;
      res.writeHead(503, { 'content-type': 'text/plain' }).end('no endpoint is ready\n');
      return;
    }
    const delivery = req.headers['x-github-delivery'];
    if (typeof delivery === 'string') routes.set(delivery, [...(routes.get(delivery) ?? []), { endpoint: endpoint.name, at: Date.now() }]);
    const upstream = request(new URL(req.url ?? '/', endpoint.url), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.once('error', () => res.destroy());
    });
    // The replica could not be reached or cut the connection: so does the proxy, as kube-proxy would.
    upstream.once('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    add(name, url) {
      const endpoint: Endpoint = { name, url: new URL(url), ready: false, deleted: false, gone: false, terminating: false, timer: setInterval(() => sync(endpoint), options.pollMs) };
      endpoints.set(name, endpoint);
      void probe(endpoint);
    },
    terminate(name) {
      const endpoint = endpoints.get(name);
      if (endpoint) endpoint.deleted = true;
    },
    remove(name) {
      const endpoint = endpoints.get(name);
      if (endpoint) endpoint.deleted = endpoint.gone = true;
    },
    async routable(name, timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (!serving().some((e) => e.name === name)) {
        if (Date.now() > end) throw new Error(`${name} did not become ready within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    routes,
    removedAt,
    noEndpoint: () => noEndpoint,
    async close() {
      for (const endpoint of endpoints.values()) clearInterval(endpoint.timer);
      endpoints.clear();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
