/**
 * The API as the daemon mounts it — run now, and the intake's event state and dead-letter retry —
 * present only when `api.token` is configured (then the token must load, or the start fails with
 * the field path), absent otherwise. Each run
 * configuration's `manual` section becomes its policy; failed authentications are limited as
 * `api.maxFailedAttempts` per `api.failureWindowSeconds` say.
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import { intakeRoutes } from '../../intake/intake-routes.ts';
import type { DaemonIntake } from '../../intake/open-intake.ts';
import type { Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { bearerTokenCheck } from './bearer-token-check.ts';
import { manualRunsRoute } from './create-manual-runs-route.ts';
import { failedAttempts } from './failed-attempts.ts';
import { loadApiToken } from './load-api-token.ts';
import type { ManualPolicy } from './manual-policy.ts';

export function manualApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: { intake: DaemonIntake; readiness: Readiness; logger: Logger; env?: NodeJS.ProcessEnv; clock?: (() => Date) | undefined },
): Route[] {
  const api = loaded.config.api;
  const source = api?.token;
  if (!api || !source) return [];
  const clock = options.clock;
  const token = loadApiToken(source, { env: options.env ?? process.env, baseDir: loaded.baseDir });
  for (const warning of token.warnings) options.logger.warn({ path: warning.path }, warning.message);
  const attempts = failedAttempts({
    maxFailures: api.maxFailedAttempts,
    windowMs: api.failureWindowSeconds * 1000,
    ...(clock ? { clock: () => clock().getTime() } : {}),
  });
  const authenticate = bearerTokenCheck(token.value, attempts);
  const runNow = manualRunsRoute({
    authenticate,
    runConfigurations: new Map(
      loaded.runConfigurations.map((rc): [string, ManualPolicy] => [
        rc.key,
        { enabled: rc.spec.manual.enabled, overridable: new Set(rc.spec.manual.parameters), declared: new Set(rc.spec.parameters.map((p) => p.name)) },
      ]),
    ),
    accept: options.intake.acceptEvent,
    readiness: options.readiness,
    ...(clock ? { clock } : {}),
  });
  return [runNow, ...intakeRoutes({ intake: options.intake, authenticate })];
}
