import type { RunningServer } from '../server/start-server.ts';

/** How often connections that have gone idle are closed while the server closes. */
const IDLE_CHECK_MS = 100;

/**
 * Stops the HTTP server: no new connections, idle ones closed, answers in progress finish — for at
 * most `graceMs`. Then every connection still open is cut (a request whose event was given up on
 * at the end of the grace period, a client still sending), so that shutdown never waits longer
 * than the grace period for a caller.
 *
 * A keep-alive connection that is busy when the server closes would stay open after its answer and
 * take new requests (answered 503) until its idle timeout, 5 s later; a load balancer's pooled
 * connection would keep sending deliveries to a stopping replica meanwhile. Each is closed as soon
 * as it is idle instead.
 */
export async function closeServer(server: RunningServer, graceMs: number): Promise<void> {
  const cut = setTimeout(() => server.server.closeAllConnections(), Math.max(0, graceMs));
  const idle = setInterval(() => server.server.closeIdleConnections(), IDLE_CHECK_MS);
  try {
    await server.close();
  } finally {
    clearTimeout(cut);
    clearInterval(idle);
  }
}
