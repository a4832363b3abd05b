/**
 * `runbridge serve` as a child process, exactly as it runs in a container: `node src/cli.ts serve
 * --config FILE --port 0 --internal-port 0`. Its JSON log (stdout) is read line by line; the port comes from the
 * `runbridge is serving` line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

export interface ServeProcess {
  readonly child: ChildProcess;
  /** The public listener (webhooks, health). */
  readonly url: string;
  /** The internal listener (/status, /metrics, completions, API). */
  readonly internalUrl: string;
  /** Parsed log lines so far. */
  readonly lines: Record<string, unknown>[];
  stderr(): string;
  /** Resolves with the first log line (already written or to come) that matches. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number, what?: string): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** `nodeArgs` go to node before the script (`--max-old-space-size=256`, as a container's memory limit calls for). */
export async function startServe(configFile: string, env: NodeJS.ProcessEnv, startTimeoutMs = 60_000, nodeArgs: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--config', configFile, '--port', '0', '--internal-port', '0'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; done: (line: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      if (text.trim() === '') continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { msg: text, notJson: true };
      }
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(line)) waiter.done(line);
        else waiters.push(waiter);
      }
    }
  });
  // 'close', not 'exit': by then everything the process wrote to stdout and stderr has been read.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('close', (code, signal) => done({ code, signal })));

  const waitForLine: ServeProcess['waitForLine'] = (match, timeoutMs = 30_000, what = 'a log line') => {
    const found = lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${what} within ${timeoutMs} ms; log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
      waiters.push({ match, done: (line) => (clearTimeout(timer), done(line)) });
      void exit.then(({ code, signal }) => {
        clearTimeout(timer);
        fail(new Error(`runbridge exited (${code ?? signal}) before ${what}; log:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`));
      });
    });
  };

  let serving: Record<string, unknown>;
  try {
    serving = await waitForLine((l) => l['msg'] === 'runbridge is serving', startTimeoutMs, "the 'runbridge is serving' line");
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    url: String(serving['url']),
    internalUrl: String(serving['internalUrl']),
    lines,
    stderr: () => stderr,
    waitForLine,
    exited: () => exit,
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
