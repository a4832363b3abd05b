/**
 * Chooses the sink the configuration asks for, and waits for its first readiness check. The
 * Kubernetes sink (and with it the Kubernetes client, ~75 MiB resident) loads only when asked for.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SinkConfig } from '../config/schema.ts';
import type { Sink } from './sink.ts';
import { createFileSink, type FileSink } from './file-sink.ts';

export async function createSink(config: SinkConfig, options: { baseDir: string; logger: Logger }): Promise<Sink> {
  const sink =
    config.type === 'file'
      ? await startFileSink(resolve(options.baseDir, config.directory), options.logger)
      : (await import('./kubernetes/create-kubernetes-sink.ts')).createKubernetesSink({
          ...(config.kubeconfig ? { kubeconfig: resolve(options.baseDir, config.kubeconfig) } : {}),
          ...(config.context ? { context: config.context } : {}),
          dryRun: config.dryRun,
          qps: config.qps,
          burst: config.burst,
          maxAttempts: config.maxAttempts,
          logger: options.logger,
        });
  // Not ready is not fatal: readiness stays false (503 to deliveries) until the sink recovers.
  if (!(await sink.start())) options.logger.warn({ sink: sink.kind }, 'sink is not ready yet; deliveries get 503 until it is');
  return sink;
}

/** The file sink, rid of the temporary files a process stopped mid-write left (file-sink-temp-files.ts). */
async function startFileSink(directory: string, logger: Logger): Promise<FileSink> {
  const sink = createFileSink({ directory });
  if (await sink.start()) {
    const removed = await sink.removeLeftovers();
    if (removed > 0) logger.info({ directory, removed }, 'removed temporary files left by an earlier stop');
  }
  return sink;
}
