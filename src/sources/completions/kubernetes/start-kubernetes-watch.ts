/**
 * The Kubernetes status watch (`completions.kubernetesWatch: true`): for the runs runbridge created,
 * terminal status becomes a completion event, handed to the handler once per run and outcome.
 *
 * - Kinds come from the configuration (watchTargetsOf); each is read by its descriptor
 *   (src/runs/kinds/): a kind without one is not watched, and says why in reasons(). Each is found
 *   through the API server's discovery; a kind not served yet (CRD not installed) is looked up
 *   again every `rediscoverMs`.
 * - After a restart the informers' first list shows every finished run again: the events have the
 *   same ids and run ids as before, and the chaining core's dedupe by run id makes them no-ops.
 *   Nothing is missed: a run that finished while runbridge was down is in that list.
 * - A failed handling is retried with a doubling pause (in memory: after a restart the list brings
 *   the run back anyway).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { RunbridgeEvent } from '../../../events/event.ts';
import { LogKeys } from '../../../observability/log-keys.ts';
import { classifyFailure } from '../../../kubernetes/classify-failure.ts';
import { formatGroupVersionKind, parseGroupVersionKind } from '../../../kubernetes/group-version-kind.ts';
import { createKubeClient } from '../../../kubernetes/kube-client.ts';
import { createResourceDiscovery, type FetchResources } from '../../../kubernetes/resource-discovery.ts';
import { runHandler, type HandleCompletionEvent } from '../handle-completion-event.ts';
import type { CompletionSourceContext } from '../read-completion.ts';
import { redeliveryDelay, type RedeliveryBackoff } from '../redelivery-delay.ts';
import type { RunKind } from '../../../runs/kinds/run-kind.ts';
import { describeRunKinds, findRunKind } from '../../../runs/run-kinds.ts';
import { completionFromRun, type WatchedRun } from './completion-from-run.ts';
import { startRunInformer, type RunInformer } from './start-run-informer.ts';
import type { WatchTarget } from './watch-targets.ts';

export interface KubernetesWatchOptions extends CompletionSourceContext {
  readonly kc: KubeConfig;
  readonly targets: readonly WatchTarget[];
  readonly handle: HandleCompletionEvent;
  /** Pauses between attempts to handle a completion that failed; 1 s doubling to 60 s by default. */
  readonly retry?: RedeliveryBackoff;
  /** Informer restart pause after an error (see startRunInformer). */
  readonly restartDelayMs?: number;
  /** How often a kind that is not served is looked up again; 30 s by default. */
  readonly rediscoverMs?: number;
}

export interface KubernetesWatch {
  /** Why some runs are not watched now; empty while all are. */
  reasons(): string[];
  stop(): Promise<void>;
}

export async function startKubernetesWatch(options: KubernetesWatchOptions): Promise<KubernetesWatch> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const retry = options.retry ?? { baseMs: 1_000, capMs: 60_000 };
  const client = createKubeClient(options.kc, 30_000);
  const fetchResources: FetchResources = async (group, version) => {
    try {
      return { ok: true, value: await client.resources(group, version), attempts: 1 };
    } catch (error) {
      return { ok: false, failure: classifyFailure(error, Date.now()), attempts: 1 };
    }
  };
  const discovery = createResourceDiscovery(fetchResources);
  const informers: RunInformer[] = [];
  const waiting = new Map<string, string>();
  /** `<uid>:<phase>` of completions handled, or being handled. */
  const seen = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopped) fn();
    }, ms);
    timers.add(timer);
  };

  const deliver = (event: RunbridgeEvent, attempt: number): void => {
    const log = logger.child({ [LogKeys.eventId]: event.id, [LogKeys.source]: 'kubernetes', run: `${event.completion?.runNamespace}/${event.completion?.runName}` });
    const work = runHandler(options.handle, event).then((result) => {
      if (result.handled) return;
      const delayMs = redeliveryDelay(attempt, retry);
      log.warn({ [LogKeys.reason]: result.reason, err: result.error, attempt, delayMs }, 'completion of a watched run failed; trying again after a pause');
      later(delayMs, () => deliver(event, attempt + 1));
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const onRun = (kind: RunKind) => (run: WatchedRun): void => {
    const event = completionFromRun(run, kind, clock());
    if (!event || seen.has(event.id) || stopped) return;
    seen.add(event.id);
    logger.info({ [LogKeys.eventId]: event.id, [LogKeys.source]: 'kubernetes', run: `${run.metadata?.namespace}/${run.metadata?.name}`, status: event.completion?.status }, 'watched run finished');
    deliver(event, 1);
  };
  const onDeleted = (run: WatchedRun): void => {
    const uid = run.metadata?.uid;
    if (uid) for (const phase of ['succeeded', 'failed']) seen.delete(`${uid}:${phase}`);
  };

  const watch = async (target: WatchTarget): Promise<void> => {
    const gvk = parseGroupVersionKind(target.apiVersion, target.kind);
    const what = `${formatGroupVersionKind(gvk)} in ${target.namespace}`;
    const kind = findRunKind(target.apiVersion, target.kind);
    if (!kind) {
      const reason = `runbridge cannot read the status of this kind (known: ${describeRunKinds()})`;
      waiting.set(what, `${what}: ${reason}`);
      logger.error({ watch: what, [LogKeys.reason]: reason }, 'cannot watch runs of this kind');
      return;
    }
    const found = await discovery.lookup(gvk);
    if (stopped) return;
    if (found.status !== 'found') {
      const reason = found.status === 'not-served' ? 'not served by the API server (is its CRD installed?)' : `discovery failed: ${found.failure.message}`;
      waiting.set(what, `${what}: ${reason}`);
      logger.warn({ watch: what, [LogKeys.reason]: reason }, 'cannot watch runs of this kind yet; looking again later');
      discovery.forget(gvk.group, gvk.version);
      later(options.rediscoverMs ?? 30_000, () => void watch(target));
      return;
    }
    waiting.delete(what);
    const informer = await startRunInformer({
      kc: options.kc,
      target: { ...gvk, plural: found.resource.plural, namespace: found.resource.namespaced ? target.namespace : undefined },
      logger,
      onRun: onRun(kind),
      onDeleted,
      ...(options.restartDelayMs !== undefined ? { restartDelayMs: options.restartDelayMs } : {}),
    });
    if (stopped) await informer.stop();
    else informers.push(informer);
  };

  await Promise.all(options.targets.map((target) => watch(target)));

  return {
    reasons: () => [...waiting.values(), ...informers.flatMap((i) => i.problem() ?? [])],
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(informers.map((i) => i.stop()));
      await Promise.all(inFlight);
    },
  };
}
