/** What making one small file durable costs on the disk under `dir`: write, fsync, directory fsync. */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { quantile } from './stats.ts';

export async function fsyncLatency(dir: string, samples = 30): Promise<{ p50: number; p90: number }> {
  const scratch = await mkdtemp(join(dir, 'fsync-'));
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const file = await open(join(scratch, `f${i}`), 'w');
      await file.writeFile('x'.repeat(1_000));
      await file.sync();
      await file.close();
      const directory = await open(scratch, 'r');
      await directory.sync();
      await directory.close();
      latencies.push(performance.now() - started);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9) };
}
