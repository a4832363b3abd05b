/**
 * Reads a secret file named by the configuration, the one way runbridge does it for webhook
 * secrets, the API token and NATS secrets. A file every user on the host may write is refused:
 * whoever can write it chooses the secret. A file every user may read is accepted with a warning.
 * The mode is taken from the open file itself (not a second lookup of the name), so the checked
 * file is the one read. One trailing line break is not part of the secret (`echo s3cret > file`).
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from '../errors.ts';

export interface OpenedSecretFile {
  readonly text: string;
  /** The file's mode bits (`stat.mode`). */
  readonly mode: number;
}

/** Opens a file and returns its text and mode; throws what `fs` throws. */
export type OpenSecretFile = (file: string) => OpenedSecretFile;

export const openSecretFile: OpenSecretFile = (file) => {
  const fd = openSync(file, 'r');
  try {
    const { mode } = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), mode };
  } finally {
    closeSync(fd);
  }
};

export interface SecretValue {
  readonly value: string;
  readonly warnings: readonly ConfigIssue[];
}

const WORLD_WRITABLE = 0o002;
const WORLD_READABLE = 0o004;

/**
 * The secret in `file`. `path` is the configuration field that names it (`<forge>.secrets[0].fromFile`);
 * `shown` is the file name as the configuration wrote it. Problems are ConfigErrors at `path`.
 */
export function readSecretFile(file: string, path: string, shown: string = file, open: OpenSecretFile = openSecretFile): SecretValue {
  let opened: OpenedSecretFile;
  try {
    opened = open(file);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new ConfigError([{ path, message: `cannot read secret file ${shown} (${reason})` }]);
  }
  const mode = `mode ${(opened.mode & 0o777).toString(8).padStart(4, '0')}`;
  if (opened.mode & WORLD_WRITABLE) {
    throw new ConfigError([
      { path, message: `secret file ${shown} is writable by every user (${mode}): anyone on the host could replace the secret; remove the write bit for others (chmod o-w)` },
    ]);
  }
  const value = opened.text.replace(/\r?\n$/, '');
  if (value === '') throw new ConfigError([{ path, message: `secret file ${shown} is empty` }]);
  const warnings: ConfigIssue[] =
    opened.mode & WORLD_READABLE
      ? [{ path, message: `secret file ${shown} is readable by every user (${mode}); make it 0400 or 0440 (in Kubernetes: the volume's defaultMode)` }]
      : [];
  return { value, warnings };
}
