import { configuredForges } from '../../config/forge-sections.ts';
import { loadSecrets, type SecretEnv } from '../../config/load-secrets.ts';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { Route } from '../../server/route.ts';
import { webhookRoute, type WebhookRouteOptions } from './webhook-route.ts';
import { WEBHOOK_SOURCES } from './webhook-sources.ts';

/** The webhook route of every forge section in the configuration, its secrets loaded (a missing one fails the start with its field path). */
export function webhookRoutes(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir'>,
  options: Omit<WebhookRouteOptions, 'bodyLimitBytes'> & { readonly env: SecretEnv },
): Route[] {
  return configuredForges(loaded.config).map(([name, section]) => {
    const { secrets, warnings } = loadSecrets(section.secrets, `${name}.secrets`, { env: options.env, baseDir: loaded.baseDir });
    for (const warning of warnings) options.logger.warn({ path: warning.path }, warning.message);
    return webhookRoute(WEBHOOK_SOURCES[name](secrets), { ...section, secrets }, { ...options, bodyLimitBytes: loaded.config.server.bodyLimitBytes });
  });
}
