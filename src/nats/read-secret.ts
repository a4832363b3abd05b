/**
 * Resolves a NATS secret from the configuration (`{ fromEnv }` or `{ fromFile }`) to its text, with
 * the rules every secret follows (secrets/resolve-secret.ts): a missing variable or an unusable file
 * is a ConfigError located at `path`, so startup says which field to fix. Also reads the other
 * files the `nats` section names (TLS, credentials).
 */
import { readFile as nodeReadFile } from 'node:fs/promises';
import type { SecretSource } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';
import type { OpenSecretFile, SecretValue } from '../secrets/read-secret-file.ts';
import { resolveSecret } from '../secrets/resolve-secret.ts';

export type ReadFile = (path: string) => Promise<Uint8Array>;

export interface ReadSecretOptions {
  env?: NodeJS.ProcessEnv;
  openFile?: OpenSecretFile;
  /** The field path of the source in the configuration, for error messages (`nats.token`). */
  path: string;
}

export function readSecret(source: SecretSource, options: ReadSecretOptions): SecretValue {
  return resolveSecret(source, {
    path: options.path,
    ...(options.env !== undefined && { env: options.env }),
    ...(options.openFile !== undefined && { openFile: options.openFile }),
  });
}

/** Reads a file named by the configuration; failure is a ConfigError at `path`. */
export async function readConfiguredFile(file: string, path: string, readFile: ReadFile = nodeReadFile): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ConfigError([{ path, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}
