/**
 * The API token from `api.token` ({fromEnv} or {fromFile}), read like every secret, and at least
 * MIN_API_TOKEN_LENGTH characters long: a short token is refused at load, not guessed later.
 */
import type { SecretSource } from '../../config/schema.ts';
import { ConfigError } from '../../errors.ts';
import { resolveSecret, type ResolveSecretOptions } from '../../secrets/resolve-secret.ts';
import type { SecretValue } from '../../secrets/read-secret-file.ts';

export const MIN_API_TOKEN_LENGTH = 32;

export function loadApiToken(source: SecretSource, options: Omit<ResolveSecretOptions, 'path'> = {}): SecretValue {
  const token = resolveSecret(source, { ...options, path: 'api.token' });
  const length = [...token.value].length;
  if (length < MIN_API_TOKEN_LENGTH) {
    throw new ConfigError([
      {
        path: `api.token.${'fromEnv' in source ? 'fromEnv' : 'fromFile'}`,
        message: `the API token is ${length} characters long; it must have at least ${MIN_API_TOKEN_LENGTH} (openssl rand -hex 32)`,
      },
    ]);
  }
  return token;
}
