/**
 * Memory of a daemon holding N run configurations: writes a configuration of N chained run
 * configurations (see chain-forest.ts) into DIR, loads it, starts the daemon on it (HTTP server,
 * file sink and state, port 0) and builds the chaining index, collects garbage, then prints one
 * JSON line {runConfigurations, rssMiB, heapUsedMiB, loadSeconds} and stops.
 *
 *   node --expose-gc bench/probes/hold-config.ts N DIR
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { createChaining } from '../../src/chaining/create-chaining.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon } from '../../src/daemon/start-daemon.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { chainForest } from '../support/chain-forest.ts';

const count = Number(process.argv[2]);
const dir = process.argv[3] ?? '.';
// 10,000 = 100 roots × (1 + 11 chains × 9 deep); smaller counts keep the shape.
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
const env = { RB_BENCH_SECRET: 'x' };
const started = performance.now();
const loaded = await loadConfig(file, { env });
const loadSeconds = (performance.now() - started) / 1000;
const logger = pino({ level: 'silent' });
const daemon = await startDaemon(loaded, { logger, env, port: 0 });
const store = createFileStore({ directory: join(dir, 'state') });
const chaining = createChaining({ loaded, store, logger });
const gc = (globalThis as { gc?: () => void }).gc;
const settled = async () => {
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { rssMiB: mib(m.rss), heapTotalMiB: mib(m.heapTotal), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external) };
};
const atOnce = await settled();
// V8 gives freed heap pages back to the system when idle: measure again after a quiet moment.
await new Promise((r) => setTimeout(r, 3_000));
const afterIdle = await settled();
process.stdout.write(`${JSON.stringify({ runConfigurations: loaded.runConfigurations.length, loadSeconds, atOnce, afterIdle, held: typeof chaining.completionHandler })}\n`);
await daemon.shutdown();
await store.close();

function mib(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}
