import type { RequestOptions } from 'node:https';
import type { KubeConfig, RequestContext, SecurityAuthentication } from '@kubernetes/client-node';

/**
 * Kubeconfig authentication that keeps connections to the API server open between requests.
 *
 * client-node 2.0's own `KubeConfig.applySecurityAuthentication` builds a new undici Agent for
 * every request, so every request opens a new TCP connection and does a full TLS handshake (with
 * the client certificate, which the API server verifies again). On loopback that handshake costs
 * more than the create itself: about 12 ms of the 25 ms a create took, and most of the API
 * server's CPU at 8 concurrent creates. This authentication applies exactly the same headers as
 * client-node (bearer token, basic auth, impersonation; token files and exec plugins are re-read as
 * client-node re-reads them), and reuses one dispatcher for as long as the connection settings
 * (server, proxy, CA, client certificate and key, TLS verification, server name) are unchanged:
 * a rotated certificate gets a new dispatcher, and the old one is closed once its requests finish.
 *
 * Pass it per request as `authMethods: { default: connections }` (see kube-client.ts).
 */
type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export interface SharedConnections extends SecurityAuthentication {
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

export function sharedConnections(kc: KubeConfig): SharedConnections {
  let current: { settings: ConnectionSettings; dispatcher: Dispatcher | undefined } | undefined;
  let built = 0;
  let closed = false;

  const retire = (dispatcher: Dispatcher | undefined): void => {
    dispatcher?.close().catch(() => undefined);
  };

  return {
    getName: () => 'kubeconfig authentication, connections reused',
    get dispatchersBuilt() {
      return built;
    },
    async applySecurityAuthentication(context: RequestContext) {
      const options: RequestOptions = {};
      await kc.applyToHTTPSOptions(options);
      const cluster = kc.getCurrentCluster();
      const settings: ConnectionSettings = {
        server: cluster?.server,
        proxyUrl: cluster?.proxyUrl,
        skipTLSVerify: cluster?.skipTLSVerify,
        tls: [options.ca, options.cert, options.key, options.pfx, options.passphrase, options.rejectUnauthorized, options.servername],
      };
      if (closed || current === undefined || !sameSettings(current.settings, settings)) {
        // client-node sets the headers and builds the dispatcher for these settings; keep it.
        await kc.applySecurityAuthentication(context);
        if (closed) return;
        const previous = current?.dispatcher;
        current = { settings, dispatcher: context.getDispatcher() };
        built++;
        if (previous !== current.dispatcher) retire(previous);
        return;
      }
      // The same headers client-node's applySecurityAuthentication sets, in the same order.
      if (options.auth) context.setHeaderParam('Authorization', `Basic ${Buffer.from(options.auth).toString('base64')}`);
      for (const [key, value] of Object.entries(options.headers ?? {})) context.setHeaderParam(key, `${value}`);
      if (current.dispatcher) context.setDispatcher(current.dispatcher);
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
