// A real nats-server for integration tests, built once by scripts/test-servers.ts.
//
//   const nats = await startNatsServer({ jetstream: true });
//   const nc = await connect({ servers: nats.url });
//   ...
//   await nats.stop();
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNatsServer } from '../../scripts/test-servers.ts';
import { freePort } from './free-port.ts';

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

export interface NatsServer {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** http://127.0.0.1:PORT of the monitoring endpoint (/healthz, /varz, /jsz). */
  readonly monitorUrl: string;
  readonly storeDir: string;
  /** Stop the process and keep the JetStream store: start() brings it back. */
  shutdown(): Promise<void>;
  /** Start again after shutdown(): same port and store directory; waits until ready. */
  start(): Promise<void>;
  /** shutdown() then start(). */
  restart(): Promise<void>;
  /** Freeze the process (SIGSTOP): connections hang instead of being refused. */
  pause(): void;
  /** Undo pause() (SIGCONT). */
  resume(): void;
  /** Stop the process and remove the temporary store. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines the server logged. */
  logTail(lines?: number): string;
}

/** sh -c script: run "$@", stop it on SIGTERM/SIGINT or when stdin reaches EOF, exit with its status. */
const WATCH_STDIN = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'pid=$!',
  `trap 'kill -TERM "$pid" 2>/dev/null; wait "$pid"; exit $?' TERM INT`,
  '(cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null) &',
  'wait "$pid"',
].join('\n');

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}


export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServer> {
  const binary = opts.binary ?? (await ensureNatsServer());
  const jetstream = opts.jetstream ?? true;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const forwardLogs = opts.logs ?? process.env['RUNBRIDGE_TEST_SERVER_LOGS'] === '1';
  const ownStore = opts.storeDir === undefined;
  const storeDir = opts.storeDir ?? (await mkdtemp(join(tmpdir(), 'runbridge-nats-')));
  const port = opts.port ?? (await freePort());
  const monitorPort = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const monitorUrl = `http://127.0.0.1:${monitorPort}`;
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let stopped = false;
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const proc of running) killGroup(proc, 'SIGKILL');
    });
  }

  const logTail = (lines = 40): string => log.slice(-lines).join('\n');

  const spawnServer = (): ChildProcess => {
    const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort), '-n', `runbridge-test-${port}`];
    if (jetstream) args.push('-js', '-sd', storeDir);
    args.push(...(opts.extraArgs ?? []));
    // Its own process group, so stop() can signal everything it started; the shell
    // stops the server when our end of its stdin closes, so a server never outlives
    // the test process, even one killed by Ctrl-C or SIGKILL.
    const proc = spawn('/bin/sh', ['-c', WATCH_STDIN, 'nats-server', binary, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(proc);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (forwardLogs) process.stderr.write(text);
      for (const line of text.split('\n')) {
        if (line === '') continue;
        log.push(line);
        if (log.length > 200) log.shift();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', () => running.delete(proc));
    proc.on('error', (error) => log.push(`spawn error: ${error.message}`));
    proc.unref();
    for (const stream of [proc.stdin, proc.stdout, proc.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    proc.on('exit', () => proc.stdin?.destroy());
    return proc;
  };

  const waitReady = async (proc: ChildProcess): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`nats-server (${binary}) exited with ${proc.exitCode ?? proc.signalCode} before it was ready.\nLast lines of its log:\n${logTail()}`);
      }
      try {
        // /healthz answers 200 only when the server, and JetStream if enabled, is ready.
        const res = await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        const body = await res.text();
        if (res.ok) return;
        last = `HTTP ${res.status}: ${body.trim()}`;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nats-server did not become ready at ${monitorUrl}/healthz within ${readyTimeoutMs / 1000}s (last: ${last}).\nLast lines of its log:\n${logTail()}`);
  };

  const shutdown = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((done) => proc.once('exit', () => done()));
    killGroup(proc, 'SIGCONT');
    killGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const start = async (): Promise<void> => {
    if (stopped) throw new Error('nats-server was stopped for good; start a new one');
    if (child) return;
    child = spawnServer();
    try {
      await waitReady(child);
    } catch (error) {
      await shutdown();
      throw error;
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await shutdown();
    if (ownStore) await rm(storeDir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    port,
    monitorUrl,
    storeDir,
    shutdown,
    start,
    restart: async () => {
      await shutdown();
      await start();
    },
    pause: () => {
      if (child) killGroup(child, 'SIGSTOP');
    },
    resume: () => {
      if (child) killGroup(child, 'SIGCONT');
    },
    stop,
    logTail,
  };
}
