/**
 * Chooses the sink the configuration asks for, with the run control that reads back and cancels
 * the runs it creates, and waits for the sink's first readiness check. The Kubernetes sink (and with
 * it the Kubernetes client, ~75 MiB resident) loads only when asked for.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { SinkConfig } from '../config/schema.ts';
import type { RunControl } from '../runs/run-control.ts';
import type { Sink } from './sink.ts';
import { createFileSink } from './file-sink.ts';
import { createFileRunControl } from './file-run-control.ts';

export interface CreatedSink {
  readonly sink: Sink;
  /** Reads back and cancels the runs this sink creates (schedules' Forbid and Replace). */
  readonly runControl: RunControl;
}

export async function createSink(config: SinkConfig, options: { baseDir: string; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<CreatedSink> {
  const created = config.type === 'file' ? createFile(resolve(options.baseDir, config.directory), options.logger) : await createKubernetes(config, options);
  // Not ready is not fatal: readiness stays false (503 to deliveries) until the sink recovers.
  if (!(await created.start())) options.logger.warn({ sink: created.sink.kind }, 'sink is not ready yet; deliveries get 503 until it is');
  return { sink: created.sink, runControl: created.runControl };
}

function createFile(directory: string, logger: Logger): CreatedSink & { start(): Promise<boolean> } {
  const sink = createFileSink({ directory });
  // Once the folder is there: rid of the temporary files a process stopped mid-write left (file-sink-temp-files.ts).
  const start = async (): Promise<boolean> => {
    if (!(await sink.start())) return false;
    const removed = await sink.removeLeftovers();
    if (removed > 0) logger.info({ directory, removed }, 'removed temporary files left by an earlier stop');
    return true;
  };
  return { sink, runControl: createFileRunControl({ sink }), start };
}

async function createKubernetes(
  config: Extract<SinkConfig, { type: 'kubernetes' }>,
  options: { baseDir: string; logger: Logger; env?: NodeJS.ProcessEnv },
): Promise<CreatedSink & { start(): Promise<boolean> }> {
  const [{ createKubernetesSink }, { createKubernetesRunControl }, { loadKubeConfig }] = await Promise.all([
    import('./kubernetes/create-kubernetes-sink.ts'),
    import('./kubernetes/run-control.ts'),
    import('../kubernetes/load-kube-config.ts'),
  ]);
  const kubeconfig = config.kubeconfig === undefined ? undefined : resolve(options.baseDir, config.kubeconfig);
  const kubeConfig = loadKubeConfig({ kubeconfig, context: config.context, ...(options.env ? { env: options.env } : {}) });
  const sink = createKubernetesSink({
    kubeConfig,
    dryRun: config.dryRun,
    qps: config.qps,
    burst: config.burst,
    maxAttempts: config.maxAttempts,
    logger: options.logger,
  });
  const runControl = createKubernetesRunControl({ kubeConfig, qps: config.qps, burst: config.burst });
  return { sink, runControl, start: () => sink.start() };
}
