import type { SecretSource } from './schema.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { resolveSecret, type ResolveSecretOptions } from '../secrets/resolve-secret.ts';

export type { SecretEnv } from '../secrets/resolve-secret.ts';

export type LoadSecretsOptions = Omit<ResolveSecretOptions, 'path'>;

export interface LoadedSecrets {
  readonly secrets: string[];
  /** Not fatal, logged at start: secret files readable by every user, secrets too short to resist guessing. */
  readonly warnings: ConfigIssue[];
}

/** Shorter webhook secrets are accepted but warned about: an HMAC key is only as strong as its length. */
export const MIN_WEBHOOK_SECRET_BYTES = 16;

/**
 * Resolves the webhook secrets listed at field path `at` (`<forge>.secrets`) to their values.
 * Reports every missing or empty one at once, by field path (`<forge>.secrets[1].fromFile: …`);
 * secret files go through the one secret-file reader (world-writable refused, world-readable
 * warned about).
 */
export function loadSecrets(sources: readonly SecretSource[], at: string, options: LoadSecretsOptions = {}): LoadedSecrets {
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const secrets: string[] = [];
  sources.forEach((source, index) => {
    const path = `${at}[${index}]`;
    try {
      const resolved = resolveSecret(source, { ...options, path });
      secrets.push(resolved.value);
      warnings.push(...resolved.warnings);
      const bytes = Buffer.byteLength(resolved.value, 'utf8');
      if (bytes < MIN_WEBHOOK_SECRET_BYTES) {
        warnings.push({
          path,
          message: `this webhook secret is ${bytes} byte${bytes === 1 ? '' : 's'} long; use at least ${MIN_WEBHOOK_SECRET_BYTES} random bytes (openssl rand -hex 32)`,
        });
      }
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return { secrets, warnings };
}
