/**
 * Servers under test run in their own Node process, so that the load generator never shares an
 * event loop with them. Each child is stopped by its own pid (SIGTERM, then SIGKILL), and any
 * child still running when the bench exits is killed then.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface Child {
  readonly pid: number;
  alive(): boolean;
  /** The last lines the child wrote to stderr. */
  stderrTail(): string;
  /** Resolves with everything the child wrote to stdout once it printed a line matching `pattern`. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `node <args>` from the repository root; stdout is kept only when `keepStdout` (logs go nowhere otherwise). */
export function spawnNode(args: readonly string[], options: { env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {}): Child {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString('utf8'));
    if (stderr.length > 50) stderr.shift();
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  if (child.pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  const pid = child.pid;

  return {
    pid,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderrTail: () => stderr.join('').split('\n').slice(-20).join('\n'),
    waitForStdout: (pattern, timeoutMs) =>
      new Promise((done, fail) => {
        const check = (): void => {
          if (pattern.test(stdout)) finish(() => done(stdout));
        };
        const exited = (): void => finish(() => fail(new Error(`node ${args.join(' ')} exited before printing ${pattern}:\n${stderr.join('')}`)));
        const timer = setTimeout(() => finish(() => fail(new Error(`node ${args.join(' ')} printed nothing matching ${pattern} in ${timeoutMs} ms`))), timeoutMs);
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          child.off('exit', exited);
          then();
        };
        child.stdout?.on('data', check);
        child.once('exit', exited);
        check();
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 200 (or the child exits, or the time is up). */
export async function waitForHttp(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!child.alive()) throw new Error(`the server for ${url} exited:\n${child.stderrTail()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last}); child stderr:\n${child.stderrTail()}`);
}
