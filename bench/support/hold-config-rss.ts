/**
 * Memory of the daemon as it runs: writes a configuration of N chained run configurations
 * (chain-forest.ts; file sink and file state, so no server is needed) and starts `runbridge serve`
 * on it in its own process, in the form asked for (the image's `node <flags> dist/cli.js`, or the
 * TypeScript sources). Once it logs `runbridge is serving` it is left idle for 3 s, then its
 * resident set (VmRSS) and peak (VmHWM) are read from /proc and its heap from its own /metrics,
 * as an operator would see them. No garbage collection is forced: production cannot.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { chainForest } from './chain-forest.ts';
import { REPO_ROOT, spawnNode } from './child-process.ts';

export interface DaemonForm {
  readonly name: string;
  /** Node's arguments: flags, then the entry point. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export interface HeldConfig {
  readonly runConfigurations: number;
  readonly configBytes: number;
  /** From the start of the process to `runbridge is serving`. */
  readonly startSeconds: number;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
}

/** What the image runs: the Dockerfile's ENTRYPOINT (node, its flags, dist/cli.js) and its NODE_ENV. */
export function imageForm(): DaemonForm {
  const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const exec = entrypoint ? (JSON.parse(entrypoint) as string[]) : [];
  // The runtime image's node is wherever its base keeps it (distroless: /nodejs/bin/node).
  if (!/(^|\/)node$/.test(exec[0] ?? '') || !exec.at(-1)?.endsWith('dist/cli.js')) throw new Error(`unexpected Dockerfile ENTRYPOINT ${entrypoint}`);
  const nodeEnv = /^ENV\s+NODE_ENV=(\S+)/m.exec(dockerfile)?.[1];
  return { name: `image: node ${exec.slice(1).join(' ')}`, args: exec.slice(1), env: nodeEnv ? { NODE_ENV: nodeEnv } : {} };
}

export function sourcesForm(): DaemonForm {
  return { name: 'sources: node src/cli.ts', args: ['src/cli.ts'], env: {} };
}

export async function holdConfig(count: number, form: DaemonForm, timeoutMs = 180_000): Promise<HeldConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-rss-'));
  try {
    const file = await writeForest(count, dir);
    const configBytes = (await readFile(file)).length;
    const started = performance.now();
    const child = spawnNode([...form.args, 'serve', '--config', file, '--port', '0', '--internal-port', '0'], {
      keepStdout: true,
      env: { ...form.env, LOG_LEVEL: 'info', RB_BENCH_SECRET: 'x' },
    });
    try {
      const out = await child.waitForStdout(/runbridge is serving/, timeoutMs);
      const startSeconds = (performance.now() - started) / 1000;
      const serving = out.split('\n').find((line) => line.includes('runbridge is serving')) ?? '';
      const url = (JSON.parse(serving) as { url: string }).url;
      await new Promise((r) => setTimeout(r, 3_000));
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      return {
        runConfigurations: count,
        configBytes,
        startSeconds,
        rssMiB: kib(status, 'VmRSS') / 1024,
        peakRssMiB: kib(status, 'VmHWM') / 1024,
        heapUsedMiB: metric(metrics, 'runbridge_nodejs_heap_size_used_bytes') / 2 ** 20,
        heapTotalMiB: metric(metrics, 'runbridge_nodejs_heap_size_total_bytes') / 2 ** 20,
      };
    } finally {
      await child.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** 10,000 = 100 roots × (1 + 11 chains × 9 deep); smaller counts keep the shape. */
async function writeForest(count: number, dir: string): Promise<string> {
  const roots = Math.max(1, Math.round(count / 100));
  const forest = chainForest({ roots, chains: count > roots ? 11 : 0, depth: Math.max(0, Math.floor((count / roots - 1) / 11)) });
  const file = join(dir, 'runbridge.yaml');
  await writeFile(
    file,
    stringify({
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      server: { host: '127.0.0.1' },
      github: { secrets: [{ fromEnv: 'RB_BENCH_SECRET' }] },
      sink: { type: 'file', directory: 'runs' },
      state: { type: 'file', directory: 'state' },
      runConfigurations: forest.runConfigurations,
    }),
  );
  return file;
}

function kib(status: string, field: string): number {
  const value = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (value === undefined) throw new Error(`no ${field} in /proc status`);
  return Number(value);
}

function metric(text: string, name: string): number {
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1];
  return value === undefined ? Number.NaN : Number(value);
}
