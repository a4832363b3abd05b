// The process of a real server the integration tests run (kube-apiserver, nats-server): started
// in a process group of its own, so every signal reaches everything it started; its output kept
// for error messages; killed when the test process exits, even after a test that forgot stop();
// and the controls both test servers offer (start, shutdown, restart, pause, resume, stop).
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcessOptions {
  /** For messages: `kube-apiserver`, `nats-server`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Lines of output kept for logTail(). */
  readonly logLines: number;
  /** Copy the server's output to this process's stderr. */
  readonly forwardLogs: boolean;
  /** What readiness is asked of, for the timeout message (a URL). */
  readonly readyAt: string;
  readonly readyTimeoutMs: number;
  readonly pollMs: number;
  /** true when ready; otherwise what the server answered (a failure counts as that answer too). */
  readonly probe: () => Promise<true | string>;
  /** Run by stop() after the process is gone: remove the server's files. */
  readonly cleanup: () => Promise<void>;
}

export interface ServerProcess {
  /** Start the process (again) and wait until it is ready. */
  start(): Promise<void>;
  /** Stop the process (SIGTERM, then SIGKILL after 10 s) and keep its files: start() brings it back. */
  shutdown(): Promise<void>;
  /** shutdown() then start(). */
  restart(): Promise<void>;
  /** Freeze the process (SIGSTOP): connections are accepted by the kernel but never answered. */
  pause(): void;
  /** Undo pause() (SIGCONT). */
  resume(): void;
  /** Stop the process for good and run cleanup. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines the server wrote. */
  logTail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function serverProcess(options: ServerProcessOptions): ServerProcess {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const proc of running) killGroup(proc, 'SIGKILL');
    });
  }
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let stopped = false;

  const logTail = (lines = 40): string => log.slice(-lines).join('\n');

  const spawnServer = (): ChildProcess => {
    const proc = spawn(options.command, [...options.args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(proc);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (options.forwardLogs) process.stderr.write(text);
      for (const line of text.split('\n')) {
        if (line === '') continue;
        log.push(line);
        if (log.length > options.logLines) log.shift();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', () => {
      running.delete(proc);
      proc.stdin?.destroy();
    });
    proc.on('error', (error) => log.push(`spawn error: ${error.message}`));
    // Neither the process nor its pipes keep the test process alive: the exit hook, and the
    // server's end of stdin closing, take it down with the test process.
    proc.unref();
    for (const stream of [proc.stdin, proc.stdout, proc.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    return proc;
  };

  const waitReady = async (proc: ChildProcess): Promise<void> => {
    const deadline = Date.now() + options.readyTimeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(`${options.name} (${options.command}) exited with ${proc.exitCode ?? proc.signalCode} before it was ready.\nLast lines of its log:\n${logTail()}`);
      }
      try {
        const answer = await options.probe();
        if (answer === true) return;
        last = answer;
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise((r) => setTimeout(r, options.pollMs));
    }
    throw new Error(
      `${options.name} did not become ready at ${options.readyAt} within ${options.readyTimeoutMs / 1000}s (last: ${last}).\nLast lines of its log:\n${logTail()}`,
    );
  };

  const shutdown = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((done) => proc.once('exit', () => done()));
    killGroup(proc, 'SIGCONT'); // in case it was paused
    killGroup(proc, 'SIGTERM');
    const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const start = async (): Promise<void> => {
    if (stopped) throw new Error(`${options.name} was stopped for good; start a new one`);
    if (child) return;
    child = spawnServer();
    try {
      await waitReady(child);
    } catch (error) {
      await shutdown();
      throw error;
    }
  };

  return {
    start,
    shutdown,
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
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await shutdown();
      await options.cleanup();
    },
    logTail,
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
