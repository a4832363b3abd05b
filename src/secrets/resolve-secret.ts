/**
 * A secret source of the configuration (`{fromEnv}` or `{fromFile}`) resolved to its value, with
 * the warnings reading it raised. A missing or empty variable, or a file that cannot be used, is a
 * ConfigError located at the source's field (`api.token.fromEnv`).
 */
import { resolve } from 'node:path';
import type { SecretSource } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import { openSecretFile, readSecretFile, type OpenSecretFile, type SecretValue } from './read-secret-file.ts';

export type SecretEnv = Readonly<Record<string, string | undefined>>;

export interface ResolveSecretOptions {
  /** Field path of the source in the configuration (`<forge>.secrets[1]`, `nats.token`). */
  readonly path: string;
  readonly env?: SecretEnv;
  /** Relative `fromFile` paths are resolved against it (the configuration file's directory). */
  readonly baseDir?: string;
  readonly openFile?: OpenSecretFile;
}

export function resolveSecret(source: SecretSource, options: ResolveSecretOptions): SecretValue {
  if ('fromEnv' in source) {
    const path = `${options.path}.fromEnv`;
    const value = (options.env ?? process.env)[source.fromEnv];
    if (value === undefined) throw new ConfigError([{ path, message: `environment variable ${source.fromEnv} is not set` }]);
    if (value === '') throw new ConfigError([{ path, message: `environment variable ${source.fromEnv} is empty` }]);
    return { value, warnings: [] };
  }
  const file = options.baseDir === undefined ? source.fromFile : resolve(options.baseDir, source.fromFile);
  return readSecretFile(file, `${options.path}.fromFile`, source.fromFile, options.openFile ?? openSecretFile);
}
