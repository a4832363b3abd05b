/**
 * `/status` as the daemon mounts it: the report of the loaded run configurations from the store,
 * with the `status` section's page sizes and cache, behind `status.token` when it is set (the token
 * must load, or the start fails with its field path; failed attempts limited like the API's).
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import { loadToken } from '../../secrets/load-token.ts';
import type { Route } from '../../server/route.ts';
import { bearerTokenCheck } from '../../sources/manual/bearer-token-check.ts';
import { failedAttempts } from '../../sources/manual/failed-attempts.ts';
import type { StateStore } from '../../state/store.ts';
import type { IntakeBacklogReport } from '../../intake/intake-backlog.ts';
import { buildStatusReport } from './build-status-report.ts';
import { statusRoute } from './status-route.ts';

export function statusApi(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir' | 'runConfigurations'>,
  options: {
    store: StateStore;
    /** The intake's backlog (pending events and dead letters), shown on every page. */
    intake?: () => IntakeBacklogReport;
    logger: Logger;
    env?: NodeJS.ProcessEnv;
    clock?: (() => Date) | undefined;
  },
): Route {
  const { status } = loaded.config;
  const { store, clock } = options;
  let authenticate;
  if (status.token) {
    const token = loadToken(status.token, 'status.token', 'the status token', { env: options.env ?? process.env, baseDir: loaded.baseDir });
    for (const warning of token.warnings) options.logger.warn({ path: warning.path }, warning.message);
    authenticate = bearerTokenCheck(token.value, failedAttempts({ maxFailures: 10, windowMs: 60_000 }));
  }
  return statusRoute({
    runConfigurations: loaded.runConfigurations,
    report: async (runConfigurations) => {
      const report = await buildStatusReport({ runConfigurations, store, ...(clock ? { clock } : {}) });
      return options.intake ? { ...report, intake: options.intake() } : report;
    },
    settings: status,
    authenticate,
  });
}
