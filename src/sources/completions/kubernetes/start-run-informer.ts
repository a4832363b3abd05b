/**
 * One informer (client-node's ListWatch) over the runs of one kind in one namespace that runbridge
 * created (label `app.kubernetes.io/managed-by=runbridge`). The informer itself resumes a broken
 * watch from the last resource version and lists again on 410 Gone (the version was compacted away);
 * but after any other error (the API server unreachable, 403) it stops, so it is started again here
 * with a doubling pause, resuming where it was.
 */
import { CustomObjectsApi, makeInformer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { MANAGED_BY, PROVENANCE_LABELS } from '../../../render/provenance-keys.ts';
import type { WatchedRun } from './completion-from-run.ts';

export interface InformerTarget {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  /** undefined for a cluster-scoped kind. */
  readonly namespace: string | undefined;
}

export interface RunInformerOptions {
  readonly kc: KubeConfig;
  readonly target: InformerTarget;
  readonly logger: Logger;
  /** Every run added or changed (the initial list included). */
  readonly onRun: (run: WatchedRun) => void;
  readonly onDeleted: (run: WatchedRun) => void;
  /** First pause before starting again after an error; doubles up to 30 s. 1 s by default. */
  readonly restartDelayMs?: number;
}

export interface RunInformer {
  /** Why it is not watching now; undefined while it is. */
  problem(): string | undefined;
  stop(): Promise<void>;
}

export const MANAGED_BY_SELECTOR = `${PROVENANCE_LABELS.managedBy}=${MANAGED_BY}`;
const MAX_RESTART_DELAY_MS = 30_000;

export async function startRunInformer(options: RunInformerOptions): Promise<RunInformer> {
  const { target, logger } = options;
  const api = options.kc.makeApiClient(CustomObjectsApi);
  const base = `/apis/${target.group}/${target.version}`;
  const path = target.namespace === undefined ? `${base}/${target.plural}` : `${base}/namespaces/${encodeURIComponent(target.namespace)}/${target.plural}`;
  const what = `${target.group}/${target.version} ${target.kind}${target.namespace === undefined ? '' : ` in ${target.namespace}`}`;
  let problem: string | undefined = 'not listed yet';
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const list = async () => {
    const params = { group: target.group, version: target.version, plural: target.plural, labelSelector: MANAGED_BY_SELECTOR };
    const result = (target.namespace === undefined
      ? await api.listClusterCustomObject(params)
      : await api.listNamespacedCustomObject({ ...params, namespace: target.namespace })) as { items?: KubernetesObject[]; metadata?: { resourceVersion?: string } };
    logger.debug({ watch: what, runs: result.items?.length ?? 0, resourceVersion: result.metadata?.resourceVersion }, 'listed runs');
    return { ...result, items: result.items ?? [] };
  };
  const informer = makeInformer<KubernetesObject>(options.kc, path, list, MANAGED_BY_SELECTOR);
  informer.on('add', (run) => options.onRun(run as WatchedRun));
  informer.on('update', (run) => options.onRun(run as WatchedRun));
  informer.on('delete', (run) => options.onDeleted(run as WatchedRun));
  informer.on('connect', () => {
    if (problem !== undefined && failures > 0) logger.info({ watch: what }, 'watching runs again');
  });
  informer.on('error', (error: unknown) => {
    if (stopped) return;
    failures++;
    problem = `watching ${what} failed: ${describe(error)}`;
    const delayMs = Math.min(MAX_RESTART_DELAY_MS, (options.restartDelayMs ?? 1_000) * 2 ** Math.min(failures - 1, 10));
    logger.warn({ watch: what, err: error, delayMs }, `${problem}; starting the watch again after a pause`);
    timer = setTimeout(() => void start(), delayMs);
  });

  const start = async (): Promise<void> => {
    if (stopped) return;
    const before = failures;
    await informer.start();
    if (failures === before) {
      problem = undefined;
      failures = 0;
    }
  };

  await start();
  logger.info({ watch: what, selector: MANAGED_BY_SELECTOR, ready: problem === undefined }, 'watching runs for completion');
  return {
    problem: () => problem,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await informer.stop();
    },
  };
}

function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; body?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return code === undefined ? message : `HTTP ${code}: ${message.split('\n', 1)[0]}`;
}
