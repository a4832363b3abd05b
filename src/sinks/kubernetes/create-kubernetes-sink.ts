import { sleep as pause } from '../../delay.ts';
import type { KubeConfig } from '@kubernetes/client-node';
import { SinkError } from '../../errors.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import type { RunManifest } from '../../runs/run-manifest.ts';
import type { Sink, SubmitOptions } from '../sink.ts';
import type { SubmitResult } from '../../runs/submitted-run.ts';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../../kubernetes/backoff-delay.ts';
import type { Failure } from '../../kubernetes/classify-failure.ts';
import { EVENT_ID_ANNOTATION, sameEvent } from './event-id-annotation.ts';
import { formatGroupVersionKind, parseGroupVersionKind, type GroupVersionKind } from '../../kubernetes/group-version-kind.ts';
import { createKubeClient, type KubeObject, type ResourceTarget } from '../../kubernetes/kube-client.ts';
import { createResourceDiscovery, type ApiResource } from '../../kubernetes/resource-discovery.ts';
import { resourcePath } from '../../kubernetes/resource-path.ts';
import { toSinkError } from './to-sink-error.ts';
import { createTokenBucket } from '../../kubernetes/token-bucket.ts';
import { withRetries, type Outcome } from '../../kubernetes/with-retries.ts';

/**
 * The production sink: creates each run in the Kubernetes API, idempotently by its deterministic
 * name (ADR 0003). A 409 AlreadyExists is a redelivery when the existing object carries the same
 * event id (`created: false`), a conflict otherwise. Every request goes through a client-side
 * token bucket (qps, burst) and is retried with full-jitter backoff on 429/5xx/connection errors.
 *
 * Readiness: the sink probes `GET /version` as soon as it is created and then every
 * `probeIntervalMs`; `ready()` is true once the API server answered and false while it cannot be
 * reached (submits update it too). `start()` waits for the first probe and answers ready().
 */
export interface SinkLogger {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface KubeRequest {
  operation: 'probe' | 'discover' | 'create' | 'get';
  /** The request path (a create is POSTed to the collection). */
  path: string;
  /** 1-based attempt of this request. */
  attempt: number;
}

export interface KubernetesSinkOptions {
  /** Where the API server is and the credentials to use (loadKubeConfig). */
  kubeConfig: KubeConfig;
  /** Submit everything with dryRun=All. */
  dryRun?: boolean | undefined;
  qps: number;
  burst: number;
  /** Attempts per request for retryable failures (1 = no retry). */
  maxAttempts: number;
  backoff?: Partial<Omit<BackoffOptions, 'random'>>;
  /** Per request; default 30 s. */
  requestTimeoutMs?: number;
  /** Readiness probe period; default 10 s; 0 probes only once, at creation. */
  probeIntervalMs?: number;
  logger?: SinkLogger | undefined;
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called right before every request attempt is sent (counting, metrics, tests). */
  onRequest?: (request: KubeRequest) => void;
}

export interface KubernetesSink extends Sink {
  /** Resolves after the first readiness probe, with ready(). */
  start(): Promise<boolean>;
}

const silentLogger: SinkLogger = { debug: () => {}, warn: () => {} };

export function createKubernetesSink(options: KubernetesSinkOptions): KubernetesSink {
  const kc = options.kubeConfig;
  const client = createKubeClient(kc, options.requestTimeoutMs ?? 30_000);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? pause;
  const limiter = createTokenBucket({ qps: options.qps, burst: options.burst, sleep, ...(options.clock ? { clock: options.clock } : {}) });
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff, random: options.random ?? Math.random };
  let isReady = false;
  let closed = false;

  /** One request, rate limited and retried; its outcome also tells whether the server is reachable. */
  const request = async <T>(operation: KubeRequest['operation'], path: string, call: () => Promise<T>, maxAttempts = options.maxAttempts): Promise<Outcome<T>> => {
    const outcome = await withRetries(call, {
      maxAttempts,
      limiter,
      backoff,
      clock,
      sleep,
      onAttempt: (attempt) => {
        options.onRequest?.({ operation, path, attempt });
        logger.debug({ operation, path, attempt }, 'kubernetes request');
      },
      onRetry: (failure, attempt, delayMs) => {
        if (failure.unreachable) isReady = false;
        logger.warn({ operation, path, attempt, delayMs, [LogKeys.status]: failure.code, [LogKeys.reason]: failure.message }, 'kubernetes request failed; retrying');
      },
    });
    if (outcome.ok) isReady = true;
    else if (outcome.failure.unreachable || outcome.failure.code === 401) isReady = false;
    return outcome;
  };

  const discovery = createResourceDiscovery((group, version) =>
    request('discover', `/apis/${group}/${version}`, () => client.resources(group, version)),
  );

  const probe = async (): Promise<boolean> => {
    if (!closed) await request('probe', '/version', () => client.version(), 1);
    return isReady;
  };
  const firstProbe = probe();
  const probeEvery = options.probeIntervalMs ?? 10_000;
  const timer = probeEvery > 0 ? setInterval(() => void probe(), probeEvery) : undefined;
  timer?.unref();

  const resolveResource = async (gvk: GroupVersionKind, subject: string): Promise<ApiResource> => {
    if (gvk.group === '') {
      throw new SinkError(`${subject}: core API kinds are not runs; the Kubernetes sink creates resources of named API groups only`, { status: 422, retryable: false });
    }
    const found = await discovery.lookup(gvk);
    if (found.status === 'found') return found.resource;
    if (found.status === 'failed') throw toSinkError(found.failure, `discovering ${formatGroupVersionKind(gvk)}`, found.attempts);
    throw notServed(gvk);
  };

  const submit = async (run: RunManifest, submitOptions: SubmitOptions = {}): Promise<SubmitResult> => {
    if (closed) throw new SinkError('the Kubernetes sink is closed', { status: 503, retryable: true });
    const dryRun = submitOptions.dryRun ?? options.dryRun ?? false;
    const gvk = parseGroupVersionKind(run.apiVersion, run.kind);
    const name = run.metadata.name;
    const subject = `${formatGroupVersionKind(gvk)} ${run.metadata.namespace ? `${run.metadata.namespace}/` : ''}${name}`;
    const resource = await resolveResource(gvk, subject);
    const namespace = resource.namespaced ? run.metadata.namespace : undefined;
    if (resource.namespaced && !namespace) {
      throw new SinkError(`${subject}: metadata.namespace is required: ${resource.plural}.${gvk.group} is namespaced`, { status: 422, retryable: false });
    }
    const target: ResourceTarget = { group: gvk.group, version: gvk.version, plural: resource.plural, namespace };
    const location = resourcePath(target, name);
    const body = resource.namespaced ? run : withoutNamespace(run);
    const result = (object: KubeObject, created: boolean): SubmitResult => {
      const uid = object.metadata?.uid;
      return { apiVersion: run.apiVersion, kind: run.kind, namespace: namespace ?? '', name, ...(uid ? { uid } : {}), created, dryRun, location };
    };

    // A run found by name can vanish before we read it (deleted by its owner): create once more.
    for (let round = 0; round < 2; round++) {
      const created = await request('create', location.slice(0, location.lastIndexOf('/')), () => client.create(target, body, dryRun));
      if (created.ok) return result(created.value, true);
      if (created.failure.code === 404) throw await notFoundOnCreate(gvk, created.failure, subject);
      if (!isAlreadyExists(created.failure)) throw toSinkError(created.failure, subject, created.attempts);
      const existing = await request('get', location, () => client.get(target, name));
      if (existing.ok) {
        if (sameEvent(existing.value, run)) return result(existing.value, false);
        throw conflict(subject, existing.value, run);
      }
      if (existing.failure.code !== 404) throw toSinkError(existing.failure, subject, existing.attempts);
    }
    throw new SinkError(`${subject}: exists, then is gone, twice: something deletes runs as fast as they are created`, { status: 503, retryable: true });
  };

  /** A 404 on create: the CRD went away since discovery (say so), or the namespace does not exist. */
  const notFoundOnCreate = async (gvk: GroupVersionKind, failure: Failure, subject: string): Promise<SinkError> => {
    discovery.forget(gvk.group, gvk.version);
    const again = await discovery.lookup(gvk);
    return again.status === 'not-served' ? notServed(gvk) : toSinkError(failure, subject, 1);
  };

  return {
    kind: 'kubernetes',
    submit,
    ready: () => isReady && !closed,
    start: () => firstProbe,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      // Idle connections close now, busy ones once their request ends (never holds up shutdown).
      void client.close();
    },
  };
}

function isAlreadyExists(failure: Failure): boolean {
  return failure.code === 409 && failure.reason === 'AlreadyExists';
}

function notServed(gvk: GroupVersionKind): SinkError {
  return new SinkError(`${formatGroupVersionKind(gvk)} is not served by the API server: is its CRD installed?`, {
    status: 404,
    retryable: false,
    details: { group: gvk.group, version: gvk.version, kind: gvk.kind },
  });
}

function conflict(subject: string, existing: KubeObject, run: RunManifest): SinkError {
  const theirs = existing.metadata?.annotations?.[EVENT_ID_ANNOTATION];
  const ours = run.metadata.annotations?.[EVENT_ID_ANNOTATION];
  return new SinkError(
    `conflict: ${subject} exists and was not created by runbridge for this event ` +
      `(its ${EVENT_ID_ANNOTATION} is ${theirs === undefined ? 'missing' : JSON.stringify(theirs)}, this event is ${JSON.stringify(ours ?? '')})`,
    { status: 409, retryable: false, details: { existingEventId: theirs, eventId: ours } },
  );
}

function withoutNamespace(run: RunManifest): RunManifest {
  const { namespace: _ignored, ...metadata } = run.metadata;
  return { ...run, metadata };
}
