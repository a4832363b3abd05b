/**
 * The file sink's temporary files: `<folder>/.<12 hex>-<counter>.tmp`, one per run being written,
 * linked to the run's name once its content is on disk, then removed. A process stopped between
 * the two (SIGKILL, power cut) leaves the temporary file behind, complete or empty; it is never a
 * run that was acknowledged (that one has its name), so a later start removes it. A temporary file
 * lives for one write — milliseconds — so only old ones are removed: a fresh one may be another
 * process's write in progress (replicas sharing one run directory, one of them starting).
 */
import { randomBytes } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface TempNames {
  /** The prefix every name of this sink starts with (after the dot). */
  readonly prefix: string;
  /** A file name (no folder) never used before by this sink. */
  next(): string;
}

/** A leading dot: never a valid run name, so never mistaken for a run. */
const TEMP_NAME = /^\.([0-9a-f]{12})-[0-9a-z]+\.tmp$/;

/** Temporary file names unique to one sink: a random prefix drawn once, then a counter. */
export function createTempNames(): TempNames {
  const prefix = randomBytes(6).toString('hex');
  let sequence = 0;
  return { prefix, next: () => `.${prefix}-${(sequence++).toString(36)}.tmp` };
}

/** A temporary file last written longer ago than this is a leftover, not a write in progress. */
export const LEFTOVER_AFTER_MS = 60_000;

/**
 * Removes the temporary files under `<directory>/<namespace>/<kind folder>/` last written before
 * `before` (epoch ms), except those named with `keepPrefix` (the running sink's own). Resolves with
 * how many were removed; a directory that does not exist yet has none.
 */
export async function removeLeftoverTempFiles(directory: string, keepPrefix: string, before: number): Promise<number> {
  let removed = 0;
  for (const namespace of await subfolders(directory)) {
    for (const kind of await subfolders(namespace)) {
      for (const entry of await readdir(kind, { withFileTypes: true })) {
        const prefix = entry.isFile() ? TEMP_NAME.exec(entry.name)?.[1] : undefined;
        if (prefix === undefined || prefix === keepPrefix) continue;
        const file = join(kind, entry.name);
        try {
          if ((await stat(file)).mtimeMs >= before) continue;
          await unlink(file);
          removed++;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    }
  }
  return removed;
}

async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => join(folder, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
