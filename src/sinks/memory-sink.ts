/**
 * A sink that keeps runs in memory: what `runbridge render` prints, and what tests and benchmarks
 * inspect. Idempotent by name like the real sinks.
 */
import type { RunManifest } from '../runs/run-manifest.ts';
import type { Sink, SubmitOptions } from './sink.ts';
import type { SubmitResult } from '../runs/submitted-run.ts';

export interface MemorySink extends Sink {
  readonly runs: readonly RunManifest[];
}

export function createMemorySink(): MemorySink {
  const byKey = new Map<string, RunManifest>();
  const runs: RunManifest[] = [];
  return {
    kind: 'memory',
    runs,
    async submit(run: RunManifest, options: SubmitOptions = {}): Promise<SubmitResult> {
      const namespace = run.metadata.namespace ?? '';
      const key = `${run.apiVersion}/${run.kind}/${namespace}/${run.metadata.name}`;
      const created = !byKey.has(key);
      if (created) {
        byKey.set(key, run);
        runs.push(run);
      }
      return {
        apiVersion: run.apiVersion,
        kind: run.kind,
        namespace,
        name: run.metadata.name,
        created,
        dryRun: options.dryRun ?? false,
        location: `memory:${key}`,
      };
    },
    ready: () => true,
    close: async () => {},
  };
}
