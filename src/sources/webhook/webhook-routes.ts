import { configuredForges } from '../../config/forge-sections.ts';
import type { SecretEnv } from '../../config/load-secrets.ts';
import { loadWebhookSecrets } from '../../config/load-webhook-secrets.ts';
import { webhookSecrets } from './secret-scopes.ts';
import type { LoadedConfig } from '../../config/loaded-config.ts';
import type { Route } from '../../server/route.ts';
import { gateOf } from '../../server/pre-auth-gate.ts';
import { webhookRoute, type WebhookRouteOptions } from './webhook-route.ts';
import { WEBHOOK_SOURCES } from './webhook-sources.ts';

/** The webhook route of every forge section in the configuration, its secrets loaded (a missing one fails the start with its field path). */
export function webhookRoutes(
  loaded: Pick<LoadedConfig, 'config' | 'baseDir'>,
  options: Omit<WebhookRouteOptions, 'bodyLimitBytes' | 'bodyIdleTimeoutMs' | 'gate'> & { readonly env: SecretEnv },
): Route[] {
  const { bodyLimitBytes, limits } = loaded.config.server;
  // One gate for every forge: together they are what the public listener lets in unauthenticated.
  const gate = gateOf(limits);
  const routeOptions = { ...options, bodyLimitBytes, bodyIdleTimeoutMs: limits.bodyIdleTimeoutSeconds * 1000, gate };
  return configuredForges(loaded.config).map(([name, section]) => {
    const loadedSecrets = loadWebhookSecrets(section.secrets, `${name}.secrets`, { env: options.env, baseDir: loaded.baseDir });
    for (const warning of loadedSecrets.warnings) options.logger.warn({ path: warning.path }, warning.message);
    const secrets = webhookSecrets(loadedSecrets.entries);
    return webhookRoute(WEBHOOK_SOURCES[name](secrets.values), { ...section, secrets }, routeOptions);
  });
}
