import { createServer, type Server } from 'node:http';
import type { ServerLimits } from '../config/server-schema.ts';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

export interface RunningServer {
  /** Base URL to reach the server, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Stops accepting connections and resolves once in-flight requests have been answered. */
  close(): Promise<void>;
}

/** How node's HTTP server bounds a connection; the rest of ServerLimits is the routes' (pre-auth gate, body reader). */
export type ConnectionLimits = Pick<ServerLimits, 'headersTimeoutSeconds' | 'requestTimeoutSeconds' | 'keepAliveTimeoutSeconds' | 'maxRequestsPerSocket'>;

/**
 * Listens on `host:port` (port 0 picks a free port, for tests). With `limits`, a connection that
 * does not deliver its headers, or its whole request, in time is closed (checked every second,
 * not node's default 30 s), and keep-alive connections are bounded in idle time and requests.
 */
export async function startServer(app: RequestListener, options: { host: string; port: number; limits?: ConnectionLimits | undefined }): Promise<RunningServer> {
  const { limits } = options;
  const server = limits
    ? createServer(
        {
          headersTimeout: limits.headersTimeoutSeconds * 1000,
          requestTimeout: limits.requestTimeoutSeconds * 1000,
          keepAliveTimeout: limits.keepAliveTimeoutSeconds * 1000,
          connectionsCheckingInterval: 1000,
        },
        app,
      )
    : createServer(app);
  if (limits) server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = reachableHost(address);
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function reachableHost(address: AddressInfo): string {
  if (address.address === '0.0.0.0') return '127.0.0.1';
  if (address.address === '::') return '[::1]';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}
