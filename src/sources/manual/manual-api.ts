/**
 * The run-now API as the daemon mounts it: present only when `api.token` is configured (then the
 * token must load, or the start fails with the field path), absent otherwise. Each run
 * configuration's `manual` section becomes its policy; failed authentications are limited as
 * `api.maxFailedAttempts` per `api.failureWindowSeconds` say.
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import type { Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { bearerTokenCheck } from './bearer-token-check.ts';
import { manualRunsRoute } from './create-manual-runs-route.ts';
import { failedAttempts } from './failed-attempts.ts';
import { loadApiToken } from './load-api-token.ts';
import type { ManualPolicy } from './manual-policy.ts';

export function manualApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: { dispatch: Dispatch; readiness: Readiness; logger: Logger; env?: NodeJS.ProcessEnv; clock?: (() => Date) | undefined },
): Route | undefined {
  const api = loaded.config.api;
  const source = api?.token;
  if (!api || !source) return undefined;
  const clock = options.clock;
  const token = loadApiToken(source, { env: options.env ?? process.env, baseDir: loaded.baseDir });
  for (const warning of token.warnings) options.logger.warn({ path: warning.path }, warning.message);
  const attempts = failedAttempts({
    maxFailures: api.maxFailedAttempts,
    windowMs: api.failureWindowSeconds * 1000,
    ...(clock ? { clock: () => clock().getTime() } : {}),
  });
  return manualRunsRoute({
    authenticate: bearerTokenCheck(token.value, attempts),
    runConfigurations: new Map(
      loaded.runConfigurations.map((rc): [string, ManualPolicy] => [
        rc.key,
        { enabled: rc.spec.manual.enabled, overridable: new Set(rc.spec.manual.parameters), declared: new Set(rc.spec.parameters.map((p) => p.name)) },
      ]),
    ),
    dispatch: options.dispatch,
    readiness: options.readiness,
    ...(clock ? { clock } : {}),
  });
}
