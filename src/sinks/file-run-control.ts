/**
 * RunControl for the file sink: a run is the YAML file the sink wrote, read back as it is (files
 * carry no live status; completions noted in the state store say when such a run is over).
 * Cancelling a run removes its file, as Kubernetes deletes a run that cannot be cancelled.
 */
import { promises as nodeFs } from 'node:fs';
import { parse } from 'yaml';
import { SinkError } from '../errors.ts';
import type { FileSink } from './file-sink.ts';
import type { RunControl } from '../runs/run-control.ts';
import type { RunRef } from '../runs/run-ref.ts';

export interface FileRunControlFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  unlink(path: string): Promise<void>;
}

export function createFileRunControl(options: { sink: Pick<FileSink, 'pathOf'>; fs?: FileRunControlFs }): RunControl {
  const fs = options.fs ?? nodeFs;
  const pathOf = (ref: RunRef): string =>
    options.sink.pathOf({ apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } });
  return {
    async get(ref) {
      const file = pathOf(ref);
      try {
        const run: unknown = parse(await fs.readFile(file, 'utf8'));
        return typeof run === 'object' && run !== null ? (run as Record<string, unknown>) : undefined;
      } catch (error) {
        if (codeOf(error) === 'ENOENT') return undefined;
        throw new SinkError(`cannot read run ${file}: ${(error as Error).message}`, { status: 503, retryable: true, cause: error });
      }
    },
    async cancel(ref) {
      const file = pathOf(ref);
      try {
        await fs.unlink(file);
      } catch (error) {
        if (codeOf(error) !== 'ENOENT') throw new SinkError(`cannot remove run ${file}: ${(error as Error).message}`, { status: 503, retryable: true, cause: error });
      }
    },
  };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
