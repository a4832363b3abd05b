/**
 * A bearer token from the configuration ({fromEnv} or {fromFile}), read like every secret, and at
 * least MIN_TOKEN_LENGTH characters long: a short token is refused at load, not guessed later.
 * `path` is its field (`api.token`, `status.token`, `completions.http.auth.tokens[0]`).
 */
import type { SecretSource } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { resolveSecret, type ResolveSecretOptions } from './resolve-secret.ts';
import type { SecretValue } from './read-secret-file.ts';

export const MIN_TOKEN_LENGTH = 32;

export function loadToken(source: SecretSource, path: string, what: string, options: Omit<ResolveSecretOptions, 'path'> = {}): SecretValue {
  const token = resolveSecret(source, { ...options, path });
  const length = [...token.value].length;
  if (length < MIN_TOKEN_LENGTH) {
    throw new ConfigError([
      {
        path: `${path}.${'fromEnv' in source ? 'fromEnv' : 'fromFile'}`,
        message: `${what} is ${length} characters long; it must have at least ${MIN_TOKEN_LENGTH} (openssl rand -hex 32)`,
      },
    ]);
  }
  return token;
}
