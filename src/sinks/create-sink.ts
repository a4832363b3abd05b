/** Chooses the sink the configuration asks for. */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SinkConfig } from '../config/schema.ts';
import type { Sink } from './sink.ts';
import { createFileSink } from './file-sink.ts';
import { createKubernetesSink } from './kubernetes/create-kubernetes-sink.ts';

export async function createSink(config: SinkConfig, options: { baseDir: string; logger: Logger }): Promise<Sink> {
  if (config.type === 'file') return createFileSink({ directory: resolve(options.baseDir, config.directory) });
  const sink = createKubernetesSink({
    ...(config.kubeconfig ? { kubeconfig: resolve(options.baseDir, config.kubeconfig) } : {}),
    ...(config.context ? { context: config.context } : {}),
    dryRun: config.dryRun,
    qps: config.qps,
    burst: config.burst,
    maxAttempts: config.maxAttempts,
    logger: options.logger,
  });
  return sink;
}
