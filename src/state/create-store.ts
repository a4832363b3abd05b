/**
 * Chooses the StateStore the configuration asks for: the file store (embedded default, one
 * process) or JetStream KV (replicas), which rides on the shared NATS connection. The JetStream
 * and KV clients load only when asked for.
 */
import { isAbsolute, resolve } from 'node:path';
import type { StateConfig } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import type { NatsHandle } from '../nats/connect.ts';
import { createFileStore } from './file-store.ts';
import { stateRetention } from './retention.ts';
import type { StateStore } from './store.ts';

export interface CreateStateStoreOptions {
  /** A relative `state.directory` is resolved against this (the working directory, as the config loader leaves it). */
  baseDir: string;
  nats?: NatsHandle | undefined;
}

export async function createStateStore(config: StateConfig, options: CreateStateStoreOptions): Promise<StateStore> {
  const retention = stateRetention({ dedupeMs: config.dedupeRetentionHours * 3600_000 });
  if (config.type === 'file') {
    const directory = isAbsolute(config.directory) ? config.directory : resolve(options.baseDir, config.directory);
    return createFileStore({ directory, retention });
  }
  if (!options.nats) {
    throw new ConfigError([{ path: 'state.type', message: 'nats needs a top-level nats connection' }]);
  }
  const { createNatsKvStore } = await import('./nats-kv-store.ts');
  return createNatsKvStore({ nc: options.nats.nc, bucket: config.bucket, replicas: config.replicas, retention });
}
