/** The API token from `api.token` ({fromEnv} or {fromFile}), with the same rules as webhook secrets. */
import type { SecretSource } from '../../config/schema.ts';
import { ConfigError } from '../../errors.ts';
import { loadSecrets, type LoadSecretsOptions } from '../../config/load-secrets.ts';

export function loadApiToken(source: SecretSource, options: LoadSecretsOptions = {}): string {
  try {
    const [token] = loadSecrets([source], 'api.token', options);
    if (token === undefined) throw new ConfigError([{ path: 'api.token', message: 'no token' }]);
    return token;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(error.issues.map((i) => ({ ...i, path: i.path.replace(/^api\.token\[0\]/, 'api.token') })));
  }
}
