/**
 * The npm scripts that start the daemon, run the way a shell user runs them: `npm start &` then
 * `kill -TERM $!` signals npm, not node. The scripts hand their shell over to node (`exec`), so
 * the signal reaches the daemon, which shuts down and stops listening; npm exits with it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const TIMEOUT = { timeout: 60_000 };

const scratch = await mkdtemp(join(tmpdir(), 'runbridge-npm-start-'));
const groups: number[] = [];

after(async () => {
  // Whatever a failed case left behind: npm's whole process group, the daemon included.
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(scratch, { recursive: true, force: true });
});

async function writeConfig(name: string): Promise<string> {
  const file = join(scratch, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      server: { host: '127.0.0.1' },
      github: { secrets: [{ fromEnv: 'RB_NPM_START_SECRET' }] },
      sink: { type: 'file', directory: join(scratch, name, 'runs') },
      state: { type: 'file', directory: join(scratch, name, 'state') },
      runConfigurations: [
        {
          name: 'trainer',
          namespace: 'ml',
          template: 'kfp-run',
          parameters: [
            { name: 'provider', value: 'p' },
            { name: 'pipeline', value: 'q' },
          ],
          triggers: { git: [{ branches: ['main'] }] },
        },
      ],
    }),
  );
  return file;
}

/** `npm ARGS` in its own process group (so a leftover daemon can be found and killed). */
function spawnNpm(args: string[]): { npm: ChildProcess; serving: Promise<string>; output: () => string } {
  const npm = spawn('npm', args, {
    cwd: ROOT,
    detached: true,
    // npm scripts find the project's own Node on PATH when npm runs them; so does this.
    env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, RB_NPM_START_SECRET: 's' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  groups.push(npm.pid!);
  let output = '';
  const serving = new Promise<string>((done, fail) => {
    npm.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry['msg'] === 'runbridge is serving') done(String(entry['url']));
      }
    });
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    npm.once('exit', (code) => fail(new Error(`npm exited (${code}) before serving:\n${output}`)));
  });
  return { npm, serving, output: () => output };
}

async function listening(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function stopsListening(url: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!(await listening(url))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

for (const [script, args] of [
  ['npm start', ['start', '--']],
  ['npm run runbridge -- serve', ['run', 'runbridge', '--', 'serve']],
] as const) {
  test(`${script}: SIGTERM to npm stops the daemon, and npm exits`, TIMEOUT, async () => {
    const config = await writeConfig(args[0]);
    const { npm, serving, output } = spawnNpm([...args, '--config', config, '--port', '0', '--internal-port', '0']);
    const url = await serving;
    assert.equal(await listening(url), true);
    const exited = new Promise<number | null>((done) => npm.once('exit', (code) => done(code)));
    npm.kill('SIGTERM');
    assert.equal(await stopsListening(url, 10_000), true, `the daemon still listens at ${url} after npm got SIGTERM:\n${output()}`);
    await exited;
    assert.match(output(), /"msg":"runbridge stopped"/);
  });
}
