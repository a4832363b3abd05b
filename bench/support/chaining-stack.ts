/**
 * The completion path as the daemon wires it, in this process: configuration loaded from run
 * configurations, a state store (file: the embedded default; JetStream KV: production), the
 * dispatcher with the chaining hooks, a sink that records, and the completion handler adapted to
 * what completion sources call. Logs go to /dev/null at info level, as a daemon's would be written.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { NatsConnection } from '@nats-io/transport-node';
import { stringify } from 'yaml';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { createChaining } from '../../src/chaining/create-chaining.ts';
import type { HandleCompletion } from '../../src/chaining/create-completion-handler.ts';
import { completionOutcomeStatus } from '../../src/chaining/completion-outcome.ts';
import { loadConfigText } from '../../src/config/load.ts';
import type { LoadedConfig } from '../../src/config/loaded-config.ts';
import { createDispatcher } from '../../src/dispatch/create-dispatcher.ts';
import { createLogger } from '../../src/observability/create-logger.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import type { Sink } from '../../src/sinks/sink.ts';
import type { HandleCompletionEvent } from '../../src/sources/completions/handle-completion-event.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { createNatsKvStore } from '../../src/state/nats-kv-store.ts';
import type { StateStore } from '../../src/state/store.ts';

export type StoreKind = { readonly type: 'file'; readonly directory: string } | { readonly type: 'nats'; readonly nc: NatsConnection };

/** State store calls made so far, and the milliseconds spent waiting on them (overlapping calls add up). */
export interface StoreOps {
  calls: number;
  ms: number;
}

export interface ChainingStack {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly storeOps: StoreOps;
  readonly handleCompletion: HandleCompletion;
  /** What a completion source calls (status 2xx/4xx handled, 5xx failed). */
  readonly handle: HandleCompletionEvent;
  readonly logger: ReturnType<typeof createLogger>;
  close(): Promise<void>;
}

export async function startChainingStack(runConfigurations: readonly object[], options: { store: StoreKind; sink: Sink; baseDir: string }): Promise<ChainingStack> {
  const text = stringify({ apiVersion: 'runbridge.dev/v1alpha1', kind: 'Config', runConfigurations });
  const loaded = await loadConfigText(text, { baseDir: options.baseDir, fileName: 'bench.yaml', env: {} });
  const storeOps: StoreOps = { calls: 0, ms: 0 };
  const backing =
    options.store.type === 'file'
      ? createFileStore({ directory: join(options.store.directory) })
      : await createNatsKvStore({ nc: options.store.nc, bucket: `bench_${randomBytes(4).toString('hex')}`, replicas: 1 });
  const store = coalesceRecordUpdates(countingStore(backing, storeOps));
  const logger = createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: false }) });
  const metrics = createMetrics({ defaultMetrics: false });
  const chaining = createChaining({ loaded, store, logger, metrics });
  const dispatch = createDispatcher({ runConfigurations: loaded.runConfigurations, sink: options.sink, store, logger, metrics, onSubmitted: chaining.onSubmitted });
  const handleCompletion = chaining.completionHandler(dispatch);
  return {
    loaded,
    store,
    storeOps,
    handleCompletion,
    handle: async (event) => {
      const outcome = await handleCompletion(event);
      return { status: completionOutcomeStatus(outcome), body: outcome };
    },
    logger,
    close: () => store.close(),
  };
}

/** The same store, counting its calls and the time they take. */
function countingStore(store: StateStore, ops: StoreOps): StateStore {
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    ops.calls++;
    try {
      return await call();
    } finally {
      ops.ms += performance.now() - started;
    }
  };
  return {
    get: (key) => timed(() => store.get(key)),
    put: (key, value, expectedRevision) => timed(() => store.put(key, value, expectedRevision)),
    delete: (key) => timed(() => store.delete(key)),
    keys: (prefix) => timed(() => store.keys(prefix)),
    close: () => store.close(),
  };
}
