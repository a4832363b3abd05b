/**
 * Wires a loaded configuration into a running daemon: state store, sink, dispatcher, sources and
 * the HTTP server. Returns a handle whose `shutdown()` does the graceful stop (readiness false,
 * new deliveries 503, in-flight events finish within the grace period, consumers drain).
 * What only some configurations use (NATS, the CloudEvents publisher, schedules with their
 * Kubernetes run control and Lease elector) is imported only when the configuration uses it.
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/load.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { createStateStore } from '../state/create-store.ts';
import { createSink } from '../sinks/create-sink.ts';
import { createDispatcher } from '../dispatch/create-dispatcher.ts';
import { webhookRoutes } from '../sources/webhook/webhook-routes.ts';
import { createApp } from '../server/create-app.ts';
import { startServer } from '../server/start-server.ts';
import { trackInFlight } from './track-in-flight.ts';
import { closeServer } from './close-server.ts';
import type { Dispatch } from '../dispatch/dispatch-outcome.ts';
import { coalesceRecordUpdates } from '../chaining/coalesce-record-updates.ts';
import { createChaining } from '../chaining/create-chaining.ts';
import type { HandleCompletion } from '../chaining/create-completion-handler.ts';
import { statusApi } from '../chaining/status/status-api.ts';
import type { Schedules } from '../sources/cron/create-schedules.ts';
import { manualApi } from '../sources/manual/manual-api.ts';
import { completionOutcomeStatus } from '../chaining/completion-outcome.ts';
import { completionVerdict } from '../intake/completion-verdict.ts';
import { intakeBacklog } from '../intake/intake-backlog.ts';
import { openIntake } from '../intake/open-intake.ts';
import { createCompletionSources } from '../sources/completions/create-completion-sources.ts';
import { composeOnSubmitted, publishOnSubmitted } from '../publish/publish-hooks.ts';

export interface Daemon {
  /** The public listener: webhooks, /healthz, /readyz. */
  readonly url: string;
  readonly port: number;
  /** The internal listener: /status, /metrics, the HTTP completion endpoint, the API (and health). */
  readonly internalUrl: string;
  readonly internalPort: number;
  readonly metrics: Metrics;
  readonly dispatch: Dispatch;
  /** The entry point for every completion source (NATS, HTTP, Kubernetes status watch). */
  readonly handleCompletion: HandleCompletion;
  shutdown(reason?: string): Promise<void>;
}

export interface DaemonOptions {
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: () => Date;
  /** Overrides config.server.port (tests use 0). */
  readonly port?: number;
  /** Overrides config.server.internalPort (tests use 0). */
  readonly internalPort?: number;
  readonly version?: string;
}

export async function startDaemon(loaded: LoadedConfig, options: DaemonOptions): Promise<Daemon> {
  const { config } = loaded;
  const logger = options.logger;
  const env = options.env ?? process.env;
  const metrics = createMetrics({ version: options.version ?? 'dev' });
  // One NATS connection for the state store, the completion source and the publisher.
  const nats = config.nats
    ? await (await import('../nats/connect.ts')).connectNats(config.nats, { logger, env, onStatus: () => metrics.natsConnected.set(nats?.connected() ? 1 : 0) })
    : undefined;
  metrics.natsConnected.set(nats ? 1 : 0);
  // One store for everything; chaining's records and the dispatcher's resolution records update keys through it.
  const state = await createStateStore(config.state, { baseDir: loaded.baseDir, nats });
  const store = coalesceRecordUpdates(state);
  const { sink, runControl } = await createSink(config.sink, { baseDir: loaded.baseDir, logger, env });
  const inFlight = trackInFlight();
  let shuttingDown = false;

  const chaining = createChaining({ loaded, store, logger, metrics, clock: options.clock, maxClockSkewSeconds: config.completions?.maxClockSkewSeconds });
  const publisher =
    nats && config.completions?.publish
      ? (await import('../publish/create-publisher.ts')).createPublisher({ nc: nats.nc, subject: config.completions.publish.subject })
      : undefined;
  const dispatchRuns = createDispatcher({
    runConfigurations: loaded.runConfigurations,
    sink,
    store,
    logger,
    metrics,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(config.sink.type === 'kubernetes' && config.sink.dryRun ? { dryRun: true } : {}),
    // Without a publisher, chaining's hook alone: no composing wrapper around it for every run.
    onSubmitted: publisher ? composeOnSubmitted(chaining.onSubmitted, publishOnSubmitted(publisher, logger)) : chaining.onSubmitted,
  });
  const dispatch: Dispatch = (event) => inFlight.run(() => dispatchRuns(event));
  const completionHandler = chaining.completionHandler(dispatchRuns);
  const handleCompletion: HandleCompletion = (event) => inFlight.run(() => completionHandler(event));

  // Every event is stored before anything that can fail for a passing reason (docs/adr/0009).
  const intakeOptions = {
    baseDir: loaded.baseDir,
    answerWithinMs: config.server.answerWithinSeconds * 1000,
    doneRetentionMs: config.state.dedupeRetentionHours * 3_600_000,
    dispatch,
    handleCompletion,
    logger,
    metrics,
    clock: options.clock,
  };
  const intake =
    config.intake.type === 'file'
      ? openIntake(config.intake, intakeOptions)
      : (await import('../intake/open-jetstream-intake.ts')).openJetStreamIntake(config.intake, { ...intakeOptions, nats, state });
  // Readiness follows only what takes events in: an API server or NATS outage is exactly when
  // deliveries must still be stored (the sink's and NATS's state are in /status and the metrics).
  const readiness = (): { ready: boolean; reasons: string[] } => {
    const reasons: string[] = [];
    if (shuttingDown) reasons.push('shutting down');
    if (!intake.intake.writable()) reasons.push('the intake cannot store events');
    return { ready: reasons.length === 0, reasons };
  };
  const completions = createCompletionSources({
    loaded,
    handle: async (event) => {
      const outcome = await handleCompletion(event);
      return { status: completionOutcomeStatus(outcome), body: outcome };
    },
    handleHttp: async (event) => completionVerdict(await intake.acceptCompletion(event)),
    nats,
    publisher,
    readiness,
    logger,
    metrics,
    clock: options.clock,
    env,
  });

  const status = statusApi(loaded, {
    store,
    intake: () => intakeBacklog(intake.intake.backlog(), intake.intake.oldestPendingAgeMs()),
    logger,
    env,
    clock: options.clock,
  });
  const webhooks = webhookRoutes(loaded, { accept: intake.acceptEvent, readiness, logger, clock: options.clock, env });
  const api = manualApi(loaded, { intake, readiness, logger, env, clock: options.clock });
  const scheduled = loaded.runConfigurations.some((rc) => rc.spec.triggers.schedules.length > 0);
  const schedules: Pick<Schedules, 'start' | 'stop'> = scheduled
    ? await (await import('../sources/cron/create-schedules.ts')).createSchedules(loaded, { store, runControl, accept: intake.acceptEvent, logger, metrics, clock: options.clock, env })
    : { start: () => {}, stop: async () => {} };
  // Completion sources start before the server listens: a setup that cannot work fails the start.
  await completions.start().catch(async (error: unknown) => {
    await completions.stop();
    await intake.intake.stop(0);
    await intake.close();
    await nats?.close();
    throw error;
  });
  // Pending events from before the last stop resume; new ones are taken once the server listens.
  await intake.intake.start().catch(async (error: unknown) => {
    await completions.stop();
    await intake.intake.stop(0);
    await intake.close();
    await nats?.close();
    throw error;
  });
  const completionRoute = completions.route();
  // Two listeners (docs/security.md): what the internet may reach, and what only the cluster may.
  const publicApp = createApp({ routes: webhooks, readiness, metrics, logger });
  const internalApp = createApp({ routes: [status, ...api, ...(completionRoute ? [completionRoute] : [])], readiness, metricsRegistry: metrics.registry, metrics, logger });
  const { limits } = config.server;
  const server = await startServer(publicApp, { host: config.server.host, port: options.port ?? config.server.port, limits });
  const internal = await startServer(internalApp, { host: config.server.internalHost, port: options.internalPort ?? config.server.internalPort, limits }).catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  logger.info({ url: server.url, internalUrl: internal.url, sink: sink.kind, state: config.state.type, runConfigurations: loaded.runConfigurations.length }, 'runbridge is serving');
  schedules.start();

  return {
    url: server.url,
    port: server.port,
    internalUrl: internal.url,
    internalPort: internal.port,
    metrics,
    dispatch,
    handleCompletion,
    async shutdown(reason = 'shutdown requested') {
      if (shuttingDown) return;
      shuttingDown = true;
      logger.info({ reason, inFlight: inFlight.count() }, 'shutting down: readiness is false, new deliveries get 503');
      const graceMs = config.server.shutdownGraceSeconds * 1000;
      const deadline = Date.now() + graceMs;
      await schedules.stop();
      // The intake takes nothing more; attempts under way may finish, the rest stays stored.
      const stopping = intake.intake.stop(Math.max(0, deadline - Date.now()));
      // Consumers stop taking messages; one being handled may finish within the grace period.
      await Promise.race([completions.stop(), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref())]);
      const drained = await inFlight.drain(Math.max(0, deadline - Date.now()));
      if (!drained) logger.warn({ inFlight: inFlight.count(), graceMs }, 'grace period over with events still in flight');
      await stopping;
      await Promise.all([closeServer(server, deadline - Date.now()), closeServer(internal, deadline - Date.now())]);
      await intake.close();
      await sink.close();
      await store.close();
      await nats?.close();
      logger.info('runbridge stopped');
    },
  };
}
