/** Runs bench/probes/hold-config.ts in a fresh process for N run configurations and reads its answer. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode } from './child-process.ts';

export interface MemorySample {
  readonly rssMiB: number;
  readonly heapTotalMiB: number;
  readonly heapUsedMiB: number;
  readonly externalMiB: number;
}

export interface HeldConfig {
  readonly runConfigurations: number;
  readonly loadSeconds: number;
  readonly atOnce: MemorySample;
  readonly afterIdle: MemorySample;
}

export async function holdConfig(count: number, timeoutMs = 180_000): Promise<HeldConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-rss-'));
  const child = spawnNode(['--expose-gc', 'bench/probes/hold-config.ts', String(count), dir], { keepStdout: true });
  try {
    const out = await child.waitForStdout(/\n/, timeoutMs);
    return JSON.parse(out.split('\n')[0] ?? '') as HeldConfig;
  } finally {
    await child.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
