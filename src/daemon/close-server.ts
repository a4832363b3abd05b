import type { RunningServer } from '../server/start-server.ts';

/**
 * Stops the HTTP server: no new connections, idle ones closed, answers in progress finish — for at
 * most `graceMs`. Then every connection still open is cut (a request whose event was given up on
 * at the end of the grace period, a client still sending its body), so that shutdown never waits
 * longer than the grace period for a caller.
 */
export async function closeServer(server: RunningServer, graceMs: number): Promise<void> {
  const timer = setTimeout(() => server.server.closeAllConnections(), Math.max(0, graceMs));
  try {
    await server.close();
  } finally {
    clearTimeout(timer);
  }
}
