/**
 * The run-now API as the daemon mounts it: present only when `api.token` is configured (then the
 * token must load, or the start fails with the field path), absent otherwise.
 */
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import type { Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { manualRunsRoute } from './create-manual-runs-route.ts';
import { loadApiToken } from './load-api-token.ts';

export function manualApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: { dispatch: Dispatch; readiness: Readiness; env?: NodeJS.ProcessEnv; clock?: (() => Date) | undefined },
): Route | undefined {
  const source = loaded.config.api?.token;
  if (!source) return undefined;
  return manualRunsRoute({
    token: loadApiToken(source, { env: options.env ?? process.env, baseDir: loaded.baseDir }),
    runConfigurations: loaded.runConfigurations.map((rc) => rc.key),
    dispatch: options.dispatch,
    readiness: options.readiness,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
