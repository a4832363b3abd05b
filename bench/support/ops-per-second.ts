/**
 * Calls `fn(i)` in batches for about `ms` milliseconds of wall time. Answers calls per wall-clock
 * second and per CPU second of this process: on a shared machine the process may get a fraction of
 * a core, and calls per CPU second is then the fairer "one core" figure.
 */
export interface Rate {
  readonly wall: number;
  readonly cpu: number;
  /** CPU seconds used per wall second (1 = a whole core). */
  readonly share: number;
}

export function opsPerSecond(fn: (i: number) => unknown, ms: number, batch = 50): Rate {
  let calls = 0;
  let keep = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) {
      // Touch every result so the work cannot be optimized away.
      if (fn(calls + i) !== undefined) keep++;
    }
    calls += batch;
    elapsed = performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuStart);
  if (keep < 0) throw new Error('unreachable');
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { wall: (calls / elapsed) * 1000, cpu: (calls / cpuMs) * 1000, share: cpuMs / elapsed };
}
