// A real nats-server for integration tests, built once by scripts/test-servers.ts.
//
//   const nats = await startNatsServer({ jetstream: true });
//   const nc = await connect({ servers: nats.url });
//   ...
//   await nats.stop();
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNatsServer } from '../../scripts/test-servers.ts';
import { freePort } from './free-port.ts';
import { serverProcess, type ServerProcess } from './server-process.ts';
import { stopWithStdin } from './stop-with-stdin.ts';

export interface StartNatsServerOptions {
  /** Enable JetStream (default true). */
  jetstream?: boolean;
  /** Client port on 127.0.0.1; a free one by default. */
  port?: number;
  /** JetStream store directory; a temporary one (removed by stop()) by default. */
  storeDir?: string;
  /** The binary to run; built and cached by scripts/test-servers.ts by default. */
  binary?: string;
  /** Extra nats-server flags, e.g. ['-DV']. */
  extraArgs?: string[];
  /** How long to wait for readiness; 30 s by default. */
  readyTimeoutMs?: number;
  /** Copy the server's log to this process's stderr (also on with RUNBRIDGE_TEST_SERVER_LOGS=1). */
  logs?: boolean;
}

/** A running server: its addresses, and the controls of ServerProcess (shutdown keeps its data, start brings it back on the same port). */
export interface NatsServer extends ServerProcess {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** http://127.0.0.1:PORT of the monitoring endpoint (/healthz, /varz, /jsz). */
  readonly monitorUrl: string;
  readonly storeDir: string;
}

export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServer> {
  const binary = opts.binary ?? (await ensureNatsServer());
  const ownStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'runbridge-nats-')));
  const port = opts.port ?? (await freePort());
  const monitorPort = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-n', `runbridge-test-${port}`];
  if (opts.jetstream ?? true) args.push('-js', '-sd', storeDir);
  args.push(...(opts.extraArgs ?? []));

  const controls = serverProcess({
    name: 'nats-server',
    ...stopWithStdin('nats-server', binary, args),
    logLines: 200,
    forwardLogs: opts.logs ?? process.env['RUNBRIDGE_TEST_SERVER_LOGS'] === '1',
    readyAt: `${monitorUrl}/healthz`,
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    pollMs: 100,
    // /healthz answers 200 only when the server, and JetStream if enabled, is ready.
    probe: async () => {
      const res = await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      return res.ok ? true : `HTTP ${res.status}: ${body.trim()}`;
    },
    cleanup: async () => {
      if (ownStore) await rm(storeDir, { recursive: true, force: true });
    },
  });

  try {
    await controls.start();
  } catch (error) {
    await controls.stop();
    throw error;
  }
  return { url, port, monitorUrl, storeDir, ...controls };
}
