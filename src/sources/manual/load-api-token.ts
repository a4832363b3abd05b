/** The API token from `api.token`: a bearer token of at least MIN_API_TOKEN_LENGTH characters (load-token.ts). */
import type { SecretSource } from '../../config/schema.ts';
import { loadToken, MIN_TOKEN_LENGTH } from '../../secrets/load-token.ts';
import type { ResolveSecretOptions } from '../../secrets/resolve-secret.ts';
import type { SecretValue } from '../../secrets/read-secret-file.ts';

export const MIN_API_TOKEN_LENGTH = MIN_TOKEN_LENGTH;

export function loadApiToken(source: SecretSource, options: Omit<ResolveSecretOptions, 'path'> = {}): SecretValue {
  return loadToken(source, 'api.token', 'the API token', options);
}
