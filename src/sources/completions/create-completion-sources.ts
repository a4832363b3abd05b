/**
 * Every completion source the configuration asks for (`completions`), in one place for the daemon:
 * the HTTP route (mounted with the other routes), then, once the server listens, `start()` brings up
 * the NATS source (core or JetStream) and the Kubernetes status watch. Completions of watched runs
 * are published when a publisher is given. `reasons()` feeds readiness: NATS not delivering makes
 * runbridge unready; the status watch only logs (webhooks and schedules still work without it).
 * Each source's module (CloudEvents, JetStream, the Kubernetes client) loads in `start()`, only
 * when the configuration has that source; the route is mounted after `start()`.
 */
import type { LoadedConfig } from '../../config/loaded-config.ts';
import { ConfigError, type ConfigIssue } from '../../errors.ts';
import type { NatsHandle } from '../../nats/connect.ts';
import type { Publisher } from '../../publish/create-publisher.ts';
import { publishCompletions } from '../../publish/publish-hooks.ts';
import type { Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { gateOf } from '../../server/pre-auth-gate.ts';
import type { HandleCompletionEvent } from './handle-completion-event.ts';
import type { KubernetesWatch } from './kubernetes/start-kubernetes-watch.ts';
import { watchTargetsOf } from './kubernetes/watch-targets.ts';
import type { CompletionSourceContext } from './read-completion.ts';
import type { NatsCompletions } from './start-nats-completions.ts';

export interface CompletionSourcesOptions extends CompletionSourceContext {
  readonly loaded: Pick<LoadedConfig, 'config' | 'runConfigurations' | 'baseDir'>;
  readonly handle: HandleCompletionEvent;
  /** The HTTP endpoint's handler: through the intake, so a completion taken during an outage is kept. */
  readonly handleHttp: HandleCompletionEvent;
  readonly nats?: NatsHandle | undefined;
  readonly publisher?: Publisher | undefined;
  readonly readiness: Readiness;
  readonly env?: NodeJS.ProcessEnv;
}

export interface CompletionSources {
  /** The HTTP completion route, when `completions.http` is configured; there once `start()` is done. */
  route(): Route | undefined;
  start(): Promise<void>;
  reasons(): string[];
  stop(): Promise<void>;
}

export function createCompletionSources(options: CompletionSourcesOptions): CompletionSources {
  const { config } = options.loaded;
  const completions = config.completions;
  checkConfig(options);
  const context = { logger: options.logger, metrics: options.metrics, clock: options.clock };
  let route: Route | undefined;
  let nats: NatsCompletions | undefined;
  let watch: KubernetesWatch | undefined;

  return {
    route: () => route,
    async start() {
      if (completions?.http) {
        const [{ completionRoute }, { loadCompletionCredentials }] = await Promise.all([import('./create-completion-route.ts'), import('./load-completion-credentials.ts')]);
        const credentials = loadCompletionCredentials(completions.http.auth, { env: options.env ?? process.env, baseDir: options.loaded.baseDir, logger: options.logger, clock: options.clock });
        const { bodyLimitBytes, limits } = config.server;
        route = completionRoute({
          ...context,
          path: completions.http.path,
          bodyLimitBytes,
          bodyIdleTimeoutMs: limits.bodyIdleTimeoutSeconds * 1000,
          gate: gateOf(limits),
          credentials,
          handle: options.handleHttp,
          readiness: options.readiness,
        });
      }
      if (completions?.nats && options.nats) {
        const { startNatsCompletions } = await import('./start-nats-completions.ts');
        nats = await startNatsCompletions({ ...context, nats: options.nats, config: completions.nats, handle: options.handle });
      }
      if (completions?.kubernetesWatch && config.sink.type === 'kubernetes') {
        const [{ loadKubeConfig }, { startKubernetesWatch }] = await Promise.all([
          import('../../kubernetes/load-kube-config.ts'),
          import('./kubernetes/start-kubernetes-watch.ts'),
        ]);
        const kc = loadKubeConfig({ kubeconfig: config.sink.kubeconfig, context: config.sink.context, ...(options.env ? { env: options.env } : {}) });
        const { targets, problems } = watchTargetsOf(options.loaded.runConfigurations);
        for (const p of problems) options.logger.warn({ runConfiguration: p.runConfiguration, reason: p.message }, 'cannot tell which kind of run this run configuration creates: its runs are not watched');
        const handle = options.publisher ? publishCompletions(options.handle, options.publisher, options.logger) : options.handle;
        watch = await startKubernetesWatch({ ...context, kc, targets, handle });
      }
    },
    reasons: () => nats?.reasons() ?? [],
    async stop() {
      await Promise.all([nats?.stop(), watch?.stop()]);
    },
  };
}

function checkConfig(options: CompletionSourcesOptions): void {
  const { config } = options.loaded;
  const issues: ConfigIssue[] = [];
  if (config.completions?.nats && !options.nats) issues.push({ path: 'completions.nats', message: 'needs a NATS connection: add the top-level nats section' });
  if (config.completions?.publish && !options.nats) issues.push({ path: 'completions.publish', message: 'needs a NATS connection: add the top-level nats section' });
  if (config.completions?.kubernetesWatch && config.sink.type !== 'kubernetes') {
    issues.push({ path: 'completions.kubernetesWatch', message: 'watches the runs runbridge creates in Kubernetes: needs sink.type kubernetes' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
