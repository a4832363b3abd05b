import { ConfigError, type ConfigIssue } from '../errors.ts';
import { loadSecrets, type LoadSecretsOptions } from './load-secrets.ts';
import type { WebhookSecret } from './schema.ts';
import type { SecretEntry } from '../sources/webhook/secret-scopes.ts';

/**
 * Resolves a forge's `secrets` (plain and scoped entries) to their values, keeping each entry's
 * repositories. Every missing or empty secret is reported at once, by field path
 * (`gitlab.secrets[1].secrets[0].fromEnv: …`); warnings (short secrets, world-readable files) are
 * handed back to be logged at start.
 */
export function loadWebhookSecrets(
  entries: readonly WebhookSecret[],
  at: string,
  options: LoadSecretsOptions = {},
): { readonly entries: SecretEntry[]; readonly warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const loaded: SecretEntry[] = [];
  entries.forEach((entry, index) => {
    try {
      if ('repositories' in entry) {
        const resolved = loadSecrets(entry.secrets, `${at}[${index}].secrets`, options);
        loaded.push({ repositories: entry.repositories, values: resolved.secrets });
        warnings.push(...resolved.warnings);
      } else {
        const resolved = loadSecrets([entry], `${at}[${index}]`, options);
        loaded.push({ values: resolved.secrets });
        warnings.push(...resolved.warnings.map((w) => ({ ...w, path: w.path.replace(`${at}[${index}][0]`, `${at}[${index}]`) })));
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // loadSecrets names a single plain entry `[0]` of its own list: put it back at this entry's place.
      issues.push(...error.issues.map((issue) => ('repositories' in entry ? issue : { ...issue, path: issue.path.replace(`${at}[${index}][0]`, `${at}[${index}]`) })));
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { entries: loaded, warnings };
}
