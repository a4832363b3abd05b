/**
 * Memory of a daemon holding 10,000 run configurations, next to one holding one, measured on the
 * process as it is deployed: `runbridge serve` compiled to dist/ and started with the image's
 * ENTRYPOINT flags and NODE_ENV (what the Dockerfile and the Helm chart run). The same
 * daemon without the image's V8 flag, and run from the TypeScript sources, are shown beside it.
 * Floor, in the same run: a bare Node HTTP server started the same way.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, spawnNode } from './support/child-process.ts';
import { holdConfig, imageForm, sourcesForm, type DaemonForm, type HeldConfig } from './support/hold-config-rss.ts';
import { fmt, type Benchmark } from './support/report.ts';

const HELD = 10_000;
const TARGET_RSS_MIB = 200 / 1.048576;

export const memory: Benchmark = {
  name: 'memory',
  title: 'Memory: a daemon holding 10,000 run configurations',
  async run({ log }) {
    log('building dist/ (npm run build), as the image does');
    await build();
    const image = imageForm();
    const semiSpace = image.args.filter((arg) => arg.startsWith('--max-semi-space-size'));
    const forms: DaemonForm[] = [
      image,
      ...(semiSpace.length ? [{ ...image, name: `${image.name.replace(` ${semiSpace.join(' ')}`, '')} (without ${semiSpace.join(' ')})`, args: image.args.filter((a) => !semiSpace.includes(a)) }] : []),
      sourcesForm(),
    ];
    const floor = await bareServer(image.args.filter((arg) => arg.startsWith('--')), image.env);
    const rows: { form: DaemonForm; held: HeldConfig }[] = [];
    for (const form of forms) {
      for (const count of [1, HELD]) {
        log(`${form.name}: holding ${count.toLocaleString('en-US')}`);
        rows.push({ form, held: await holdConfig(count, form) });
      }
    }
    const production = rows.filter((r) => r.form === image);
    const held = production.find((r) => r.held.runConfigurations === HELD)!.held;
    const one = production.find((r) => r.held.runConfigurations === 1)!.held;
    return {
      tables: [
        {
          columns: ['daemon', 'run configurations', 'config MB', 'start s', 'RSS MiB', 'peak RSS MiB', 'heap used MiB', 'heap total MiB'],
          rows: [
            [`bare Node HTTP server, ${floor.name} (floor)`, '', '', '', fmt(floor.rssMiB), fmt(floor.peakRssMiB), '', ''],
            ...rows.map(({ form, held: h }) => [
              form.name,
              h.runConfigurations.toLocaleString('en-US'),
              fmt(h.configBytes / 1e6),
              fmt(h.startSeconds),
              fmt(h.rssMiB),
              fmt(h.peakRssMiB),
              fmt(h.heapUsedMiB),
              fmt(h.heapTotalMiB),
            ]),
          ],
        },
      ],
      targets: [
        {
          description: `RSS < 200 MB with ${fmt(HELD)} run configurations loaded (${image.name})`,
          actual: `${fmt(held.rssMiB)} MiB = ${fmt(held.rssMiB * 1.048576)} MB (1 run configuration: ${fmt(one.rssMiB)} MiB)`,
          met: held.rssMiB < TARGET_RSS_MIB,
        },
      ],
      notes: [
        `The target is judged on the image's form: dist/ compiled by npm run build and started with the Dockerfile's ENTRYPOINT flags and NODE_ENV, which the Helm chart runs too. The bench runs it without a container memory limit: the image's flag bounds V8's young generation either way, and a limit (the chart sets 384Mi) only lowers the old generation's.`,
        `${fmt(HELD)} run configurations = 100 git-triggered roots × 11 chains × 9 deep, each with a runConfigurationRef parameter, file sink and file state; RSS read from /proc 3 s after \`runbridge is serving\`, heap from the daemon's own /metrics; no garbage collection is forced. Peak RSS is the process's high-water mark (VmHWM), reached while the configuration is loaded.`,
        'Running from the TypeScript sources (type stripping) costs the difference between the image and sources rows; the image never does it.',
      ],
      data: { floor, rows: rows.map((r) => ({ form: r.form, ...r.held })) },
    };
  },
};

async function build(): Promise<void> {
  const tsc = spawn(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  tsc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  tsc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => tsc.on('exit', resolve));
  if (code !== 0) throw new Error(`npm run build failed:\n${output}`);
}

async function bareServer(flags: readonly string[], env: Readonly<Record<string, string>>): Promise<{ name: string; rssMiB: number; peakRssMiB: number }> {
  const script = "require('node:http').createServer((q, s) => s.end()).listen(0, '127.0.0.1', () => console.log('listening'))";
  const child = spawnNode([...flags, '-e', script], { keepStdout: true, env });
  try {
    await child.waitForStdout(/listening/, 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { name: `node ${flags.join(' ')}`.trim(), rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
  } finally {
    await child.stop();
  }
}
