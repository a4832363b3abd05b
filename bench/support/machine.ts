/** The machine a run was measured on, for the results: CPUs, model, Node, load average. */
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
  readonly memoryGiB: number;
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    cpus: availableParallelism(),
    model: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The share of CPU time the machine spent idle over the next `ms` milliseconds (0..1). */
export async function idleShare(ms: number): Promise<number> {
  const sample = (): { idle: number; total: number } =>
    cpus().reduce((sum, cpu) => ({ idle: sum.idle + cpu.times.idle, total: sum.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  return (after.idle - before.idle) / Math.max(1, after.total - before.total);
}

/**
 * Waits until the machine is quiet (at least `share` idle over half a second), so a fixed-rate
 * latency is not the background work of another server measured before (a compaction, a drain);
 * gives up after `timeoutMs` and says how idle it was then.
 */
export async function quiet(share = 0.9, timeoutMs = 30_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const idle = await idleShare(500);
    if (idle >= share || Date.now() > end) return idle;
  }
}
