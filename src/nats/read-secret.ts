/**
 * Resolves a secret source from the configuration (`{ fromEnv }` or `{ fromFile }`) to its text.
 * A missing variable or unreadable file is a ConfigError located at `path`, so startup says which
 * field to fix. File content is trimmed of surrounding whitespace (the trailing newline of a
 * mounted Kubernetes Secret).
 */
import { readFile as nodeReadFile } from 'node:fs/promises';
import type { SecretSource } from '../config/schema.ts';
import { ConfigError } from '../errors.ts';

export type ReadFile = (path: string) => Promise<Uint8Array>;

export interface ReadSecretOptions {
  env?: NodeJS.ProcessEnv;
  readFile?: ReadFile;
  /** The field path of the source in the configuration, for error messages (`nats.token`). */
  path: string;
}

export async function readSecret(source: SecretSource, options: ReadSecretOptions): Promise<string> {
  if ('fromEnv' in source) {
    const value = (options.env ?? process.env)[source.fromEnv];
    if (value === undefined || value === '') {
      throw new ConfigError([{ path: `${options.path}.fromEnv`, message: `environment variable ${source.fromEnv} is not set` }]);
    }
    return value;
  }
  const bytes = await readConfiguredFile(source.fromFile, `${options.path}.fromFile`, options.readFile);
  const value = Buffer.from(bytes).toString('utf8').trim();
  if (value === '') throw new ConfigError([{ path: `${options.path}.fromFile`, message: `file ${source.fromFile} is empty` }]);
  return value;
}

/** Reads a file named by the configuration; failure is a ConfigError at `path`. */
export async function readConfiguredFile(file: string, path: string, readFile: ReadFile = nodeReadFile): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ConfigError([{ path, message: `cannot read ${file}: ${(error as Error).message}` }]);
  }
}
