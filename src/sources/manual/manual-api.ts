/**
 * The API as the daemon mounts it: run now, and the intake's event state and dead-letter retry,
 * present only when `api.token` is configured (then the token must load, or the start fails with
 * the field path), absent otherwise.
 */
import type { LoadedConfig } from '../../config/loaded-config.ts';
import { intakeRoutes } from '../../intake/intake-routes.ts';
import type { DaemonIntake } from '../../intake/open-intake.ts';
import type { Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { bearerTokenCheck } from './bearer-token-check.ts';
import { manualRunsRoute } from './create-manual-runs-route.ts';
import { loadApiToken } from './load-api-token.ts';

export function manualApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: { intake: DaemonIntake; readiness: Readiness; env?: NodeJS.ProcessEnv; clock?: (() => Date) | undefined },
): Route[] {
  const source = loaded.config.api?.token;
  if (!source) return [];
  const token = loadApiToken(source, { env: options.env ?? process.env, baseDir: loaded.baseDir });
  return [
    manualRunsRoute({
      token,
      runConfigurations: loaded.runConfigurations.map((rc) => rc.key),
      accept: options.intake.acceptEvent,
      readiness: options.readiness,
      ...(options.clock ? { clock: options.clock } : {}),
    }),
    ...intakeRoutes({ intake: options.intake, authenticate: bearerTokenCheck(token) }),
  ];
}
