/**
 * Reads a state directory written by runbridge 0.1.0's file store, one JSON file per key
 * (`<key>`, or `<first 160 characters>~<hash>` for long keys) and a tombstone per deleted key in
 * `.deleted/`, so the file store can import it once into its journal format. A file that does not
 * hold a state record fails the import with a StateError naming it, and nothing is changed.
 */
import { join } from 'node:path';
import { StateError } from '../errors.ts';
import { classifyStateFileName, OLD_DELETED_DIRECTORY } from './state-file-name.ts';
import type { FileCalls } from '../fs/file-calls.ts';
import { parseStateRecord, type StateRecord } from './state-record.ts';

export interface OldLayout {
  readonly records: StateRecord[];
  /** What to remove once the records are safely in a snapshot. */
  readonly paths: string[];
}

export async function readOldLayout(fs: FileCalls, directory: string, names: readonly string[]): Promise<OldLayout | undefined> {
  const live = await readRecords(fs, directory, names);
  const hasGraveyard = names.includes(OLD_DELETED_DIRECTORY);
  const graveyard = join(directory, OLD_DELETED_DIRECTORY);
  const dead = hasGraveyard ? await readRecords(fs, graveyard, await fs.readdir(graveyard)) : { records: [], paths: [] };
  if (live.paths.length === 0 && !hasGraveyard) return undefined;
  // A crash inside 0.1.0's put or delete could leave both files; the live one was read first there.
  const liveKeys = new Set(live.records.map((record) => record.key));
  return {
    records: [...live.records, ...dead.records.filter((record) => record.deleted && !liveKeys.has(record.key))],
    paths: [...live.paths, ...(hasGraveyard ? [graveyard] : [])],
  };
}

async function readRecords(fs: FileCalls, directory: string, names: readonly string[]): Promise<OldLayout> {
  const records: StateRecord[] = [];
  const paths: string[] = [];
  for (const name of names) {
    const kind = classifyStateFileName(name);
    if (kind.kind !== 'old-record') continue;
    const file = join(directory, name);
    try {
      records.push(parseStateRecord(file, kind.key, (await fs.readFile(file)).toString('utf8')));
    } catch (error) {
      const message = `cannot import ${file}, named like a record of the one-file-per-key layout of runbridge 0.1.0: ${(error as Error).message}`;
      throw new StateError(message, { cause: error });
    }
    paths.push(file);
  }
  return { records, paths };
}
