import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecretSource } from './schema.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';

export type ReadSecretFile = (path: string) => string;
export type SecretEnv = Readonly<Record<string, string | undefined>>;

export interface LoadSecretsOptions {
  readonly env?: SecretEnv;
  /** Relative `fromFile` paths are resolved against it (the configuration file's directory). */
  readonly baseDir?: string;
  readonly readFile?: ReadSecretFile;
}

/**
 * Resolves the secrets listed at field path `at` (`<forge>.secrets`, `api.token`) to their values.
 * Reports every missing or empty one at once, by field path (`api.token.fromFile: …`). A
 * file's trailing newline is not part of the secret (`echo s3cret > file` must work).
 */
export function loadSecrets(sources: readonly SecretSource[], at: string, options: LoadSecretsOptions = {}): string[] {
  const env = options.env ?? process.env;
  const read = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  sources.forEach((source, index) => {
    if ('fromEnv' in source) {
      const path = `${at}[${index}].fromEnv`;
      const value = env[source.fromEnv];
      if (value === undefined) issues.push({ path, message: `environment variable ${source.fromEnv} is not set` });
      else if (value === '') issues.push({ path, message: `environment variable ${source.fromEnv} is empty` });
      else secrets.push(value);
      return;
    }
    const path = `${at}[${index}].fromFile`;
    const file = options.baseDir === undefined ? source.fromFile : resolve(options.baseDir, source.fromFile);
    let value: string;
    try {
      value = read(file).replace(/\r?\n$/, '');
    } catch (err) {
      const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
      issues.push({ path, message: `cannot read secret file ${source.fromFile} (${reason})` });
      return;
    }
    if (value === '') issues.push({ path, message: `secret file ${source.fromFile} is empty` });
    else secrets.push(value);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return secrets;
}
