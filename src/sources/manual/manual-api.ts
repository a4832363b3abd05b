/**
 * The run-now API as the daemon mounts it: present only when `api.token` is configured (then the
 * token must load, or the start fails with the field path), absent otherwise.
 */
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import type { Readiness } from '../../server/require-ready.ts';
import { manualRunsRoutes } from './create-manual-runs-route.ts';
import { loadApiToken } from './load-api-token.ts';

export function manualApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: { dispatch: Dispatch; readiness: Readiness; logger: Logger; env?: NodeJS.ProcessEnv; clock?: (() => Date) | undefined },
): ((app: Express) => void) | undefined {
  const source = loaded.config.api?.token;
  if (!source) return undefined;
  const token = loadApiToken(source, { env: options.env ?? process.env, baseDir: loaded.baseDir });
  for (const warning of token.warnings) options.logger.warn({ path: warning.path }, warning.message);
  return manualRunsRoutes({
    token: token.value,
    runConfigurations: loaded.runConfigurations.map((rc) => rc.key),
    dispatch: options.dispatch,
    readiness: options.readiness,
    logger: options.logger,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
