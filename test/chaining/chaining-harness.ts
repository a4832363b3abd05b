/**
 * A real chaining stack for tests: the configuration loaded from an object (fixture templates),
 * the file state store on a temporary directory, the real dispatcher with chaining's onSubmitted, a
 * memory sink, metrics on their own registry, and log lines captured for assertions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { createChaining } from '../../src/chaining/create-chaining.ts';
import type { HandleCompletion } from '../../src/chaining/create-completion-handler.ts';
import type { LoadedConfig } from '../../src/config/loaded-config.ts';
import { createDispatcher } from '../../src/dispatch/create-dispatcher.ts';
import type { Dispatch } from '../../src/dispatch/dispatch-outcome.ts';
import type { ComponentOutput, RunbridgeEvent, RunCompletion } from '../../src/events/event.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import { PROVENANCE_ANNOTATIONS } from '../../src/render/provenance-keys.ts';
import { createMemorySink, type MemorySink } from '../../src/sinks/memory-sink.ts';
import type { RunManifest } from '../../src/runs/run-manifest.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import type { StateStore } from '../../src/state/store.ts';
import { config, loadInline } from '../config/load-inline.ts';

export interface Harness {
  readonly loaded: LoadedConfig;
  readonly store: StateStore;
  readonly sink: MemorySink;
  readonly metrics: Metrics;
  readonly dispatch: Dispatch;
  readonly handleCompletion: HandleCompletion;
  readonly directory: string;
  readonly logs: Record<string, unknown>[];
  /** Runs created for a run configuration (`namespace/name`), in order. */
  runsOf(runConfiguration: string): RunManifest[];
  /** Stops the store; removes the directory unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>;
}

export async function startHarness(runConfigurations: object[], options: { directory?: string; sink?: MemorySink } = {}): Promise<Harness> {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'runbridge-chaining-')));
  const loaded = await loadInline(config(...runConfigurations));
  const store = coalesceRecordUpdates(createFileStore({ directory }));
  const sink = options.sink ?? createMemorySink();
  const metrics = createMetrics({ defaultMetrics: false });
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const chaining = createChaining({ loaded, store, logger, metrics });
  const dispatch = createDispatcher({ runConfigurations: loaded.runConfigurations, sink, store, logger, metrics, onSubmitted: chaining.onSubmitted });
  return {
    loaded,
    store,
    sink,
    metrics,
    dispatch,
    handleCompletion: chaining.completionHandler(dispatch),
    directory,
    logs,
    runsOf: (rc) => sink.runs.filter((run) => run.metadata.annotations?.[PROVENANCE_ANNOTATIONS.runConfiguration] === rc),
    async close({ keep = false } = {}) {
      await store.close();
      if (!keep) await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * A run configuration of the fixture `static-run` template (it lists every parameter). Completions
 * of its runs that runbridge did not create are believed from NATS and HTTP (`completionSources`),
 * as most tests here report KFP-Operator's own runs; trust.test.ts proves the default, none.
 */
export function rc(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: 'ml', template: 'static-run', completionSources: ['nats', 'http'], ...extra };
}

export const ref = (name: string, outputArtifact: string, more: object = {}): object => ({ valueFrom: { runConfigurationRef: { name, outputArtifact, ...more } } });

let sequence = 0;

/** A completion event as a source would produce it. */
export function completionEvent(
  completion: Partial<RunCompletion> & { runConfigurationName?: string },
  options: { id?: string; source?: string; componentOutputs?: ComponentOutput[] } = {},
): RunbridgeEvent {
  sequence += 1;
  const full: RunCompletion = { status: 'succeeded', artifacts: [], ...completion, ...(options.componentOutputs ? { componentOutputs: options.componentOutputs } : {}) };
  return {
    id: options.id ?? `completion-${sequence}`,
    source: options.source ?? 'nats',
    type: 'org.kubeflow.pipelines.run-completion',
    time: full.runEndTime ?? '2026-01-15T12:00:00.000Z',
    trigger: 'runConfiguration',
    data: { ...full },
    completion: full,
  };
}

/** The `spec.parameters` of a `static-run` manifest, by name. */
export function paramsOf(run: RunManifest | undefined): Record<string, string> {
  const spec = run?.['spec'] as { parameters?: { name: string; value: string }[] } | undefined;
  return Object.fromEntries((spec?.parameters ?? []).map((p) => [p.name, p.value]));
}

/** The value of a counter (all label sets summed, or one label set). */
export async function counterValue(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) return 0;
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}
