import type { RequestOptions } from 'node:https';
import { HttpMethod, RequestContext, type KubeConfig, type SecurityAuthentication } from '@kubernetes/client-node';

/**
 * Kubeconfig authentication that keeps connections to the API server open between requests.
 *
 * client-node 2.0's own `KubeConfig.applySecurityAuthentication` builds a new undici Agent for
 * every request, so every request opens a new TCP connection and does a full TLS handshake (with
 * the client certificate, which the API server verifies again). On loopback that handshake costs
 * more than the create itself: it more than doubles a create's time and halves the rate of
 * concurrent creates. This authentication applies exactly the same headers as
 * client-node (bearer token, basic auth, impersonation; token files and exec plugins are re-read as
 * client-node re-reads them), and reuses one dispatcher for as long as the connection settings
 * (server, proxy, CA, client certificate and key, TLS verification, server name) are unchanged:
 * a rotated certificate gets a new dispatcher, and the old one is closed a minute later (requests
 * that already picked it still finish on it).
 *
 * Pass it to client-node per request as `authMethods: { default: connections }`, or take
 * `connection()` for a request sent on the dispatcher directly (see kube-client.ts).
 */
export type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** What one request needs: its headers (credentials) and the dispatcher to send it with. */
export interface Connection {
  headers: Record<string, string>;
  /** undefined when client-node would use the default dispatcher (no TLS settings of its own). */
  dispatcher: Dispatcher | undefined;
}

export interface SharedConnections extends SecurityAuthentication {
  /** Headers and dispatcher for one request, the credentials read afresh as client-node reads them. */
  connection(): Promise<Connection>;
  /** Dispatchers built so far (1 while the connection settings never change). */
  readonly dispatchersBuilt: number;
  /** Closes the current dispatcher once its requests are done. */
  close(): Promise<void>;
}

/** What a dispatcher is built from; a change in any of them needs a new one. */
interface ConnectionSettings {
  server: string | undefined;
  proxyUrl: string | undefined;
  skipTLSVerify: boolean | undefined;
  tls: readonly unknown[];
}

/** How long a replaced dispatcher stays open for requests that already picked it. */
const RETIRE_AFTER_MS = 60_000;

export function sharedConnections(kc: KubeConfig): SharedConnections {
  let current: { settings: ConnectionSettings; dispatcher: Dispatcher | undefined } | undefined;
  /** The dispatcher being built, so that concurrent first requests share it. */
  let building: { settings: ConnectionSettings; dispatcher: Promise<Dispatcher | undefined> } | undefined;
  let built = 0;
  let closed = false;

  /** client-node's own dispatcher for the current settings (what it would build for one request). */
  const buildDispatcher = async (server: string | undefined): Promise<Dispatcher | undefined> => {
    const scratch = new RequestContext(server ?? 'https://localhost', HttpMethod.GET);
    await kc.applySecurityAuthentication(scratch);
    return scratch.getDispatcher();
  };

  const retire = (dispatcher: Dispatcher | undefined): void => {
    if (!dispatcher) return;
    setTimeout(() => void dispatcher.close().catch(() => undefined), RETIRE_AFTER_MS).unref();
  };

  const dispatcherFor = (settings: ConnectionSettings): Promise<Dispatcher | undefined> => {
    if (building && sameSettings(building.settings, settings)) return building.dispatcher;
    const dispatcher = buildDispatcher(settings.server).then(
      (made) => {
        if (building?.dispatcher === dispatcher) building = undefined;
        if (closed) {
          retire(made);
          return made;
        }
        const previous = current?.dispatcher;
        current = { settings, dispatcher: made };
        built++;
        if (previous !== made) retire(previous);
        return made;
      },
      (error: unknown) => {
        if (building?.dispatcher === dispatcher) building = undefined;
        throw error;
      },
    );
    building = { settings, dispatcher };
    return dispatcher;
  };

  const connection = async (): Promise<Connection> => {
    const options: RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    // The headers client-node's applySecurityAuthentication sets, in the same order.
    const headers: Record<string, string> = {};
    if (options.auth) headers['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = `${value}`;
    const cluster = kc.getCurrentCluster();
    const settings: ConnectionSettings = {
      server: cluster?.server,
      proxyUrl: cluster?.proxyUrl,
      skipTLSVerify: cluster?.skipTLSVerify,
      tls: [options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername],
    };
    if (!closed && current !== undefined && sameSettings(current.settings, settings)) return { headers, dispatcher: current.dispatcher };
    return { headers, dispatcher: await dispatcherFor(settings) };
  };

  return {
    getName: () => 'kubeconfig authentication, connections reused',
    connection,
    get dispatchersBuilt() {
      return built;
    },
    async applySecurityAuthentication(context: RequestContext) {
      const { headers, dispatcher } = await connection();
      for (const [key, value] of Object.entries(headers)) context.setHeaderParam(key, value);
      if (dispatcher) context.setDispatcher(dispatcher);
    },
    async close() {
      closed = true;
      const dispatcher = current?.dispatcher;
      current = undefined;
      await dispatcher?.close().catch(() => undefined);
    },
  };
}

function sameSettings(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.server === b.server && a.proxyUrl === b.proxyUrl && a.skipTLSVerify === b.skipTLSVerify && a.tls.every((value, i) => sameValue(value, b.tls[i]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  return false;
}
