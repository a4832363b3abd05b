/**
 * Start-up of the file store: reads its directory once — the newest snapshot, then the journals
 * after it — into memory. Reading changes nothing on disk, except importing a directory of the
 * one-file-per-key layout of runbridge 0.1.0 (read-old-layout.ts): its records are written to a
 * snapshot and its files removed, once. What the first write must tidy (a torn last batch,
 * temporary files, superseded journals and snapshots) is returned instead.
 */
import { dirname, join } from 'node:path';
import type { FileCalls } from '../fs/file-calls.ts';
import { applyRecord, entryBytes, snapshotFrames, type StateEntries } from './state-entries.ts';
import { classifyStateFileName, journalPath, snapshotPath } from './state-file-name.ts';
import { readFrameFile } from './read-frame-file.ts';
import { readOldLayout } from './read-old-layout.ts';
import { syncDirectory } from '../fs/sync-directory.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

export interface LoadedState {
  readonly entries: StateEntries;
  /** The journal that writes go to. */
  readonly generation: number;
  /** The oldest journal or snapshot still needed (the others are `leftovers`). */
  readonly firstGeneration: number;
  readonly journal: { readonly exists: boolean; readonly length: number; readonly torn: boolean };
  /** Bytes in the journals since the snapshot. */
  readonly journalBytes: number;
  /** Temporary files, and journals and snapshots that the newest snapshot supersedes. */
  readonly leftovers: string[];
}

export async function loadState(fs: FileCalls, directory: string, warn: (message: string) => void): Promise<LoadedState> {
  const created = await fs.mkdir(directory, { recursive: true });
  if (typeof created === 'string') {
    // A directory just made survives a power cut only once its parent is synced, and so on up.
    for (let dir = directory; dirname(dir) !== dir; dir = dirname(dir)) {
      await syncDirectory(fs, dirname(dir));
      if (dir === created) break;
    }
  }
  const names = await fs.readdir(directory);
  const generations = { journal: [] as number[], snapshot: [] as number[] };
  const leftovers: string[] = [];
  for (const name of names) {
    const kind = classifyStateFileName(name);
    if (kind.kind === 'journal' || kind.kind === 'snapshot') generations[kind.kind].push(kind.generation);
    if (kind.kind === 'temporary') leftovers.push(join(directory, name));
  }
  const snapshot = Math.max(0, ...generations.snapshot);
  const entries: StateEntries = new Map();
  if (snapshot > 0) {
    const file = snapshotPath(directory, snapshot);
    for (const record of readFrameFile(file, await fs.readFile(file), { mayBeTorn: false }).records) applyRecord(entries, record);
  }
  const journals = generations.journal.filter((g) => g >= snapshot).sort((a, b) => a - b);
  let journal = { exists: false, length: 0, torn: false };
  let journalBytes = 0;
  for (const generation of journals) {
    const file = journalPath(directory, generation);
    const content = readFrameFile(file, await fs.readFile(file), { mayBeTorn: generation === journals.at(-1) });
    for (const record of content.records) applyRecord(entries, record);
    if (content.torn) {
      warn(`state journal ${file}: left out ${content.torn.reason} at byte ${content.torn.offset}, a batch being written when the process stopped (never acknowledged)`);
    }
    journal = { exists: true, length: content.length, torn: content.torn !== undefined };
    journalBytes += content.length;
  }
  for (const g of generations.journal.filter((g) => g < snapshot)) leftovers.push(journalPath(directory, g));
  for (const g of generations.snapshot.filter((g) => g < snapshot)) leftovers.push(snapshotPath(directory, g));

  const old = await readOldLayout(fs, directory, names);
  if (old === undefined) {
    const generation = journals.at(-1) ?? Math.max(snapshot, 1);
    return { entries, generation, firstGeneration: snapshot || (journals[0] ?? generation), journal, journalBytes, leftovers };
  }

  // Import: a snapshot of everything, then the old files go; a crash in between imports again.
  for (const record of old.records) applyRecord(entries, record);
  const generation = Math.max(snapshot, ...journals) + 1;
  await writeFileAtomic(fs, snapshotPath(directory, generation), snapshotFrames([...entries]));
  for (const path of old.paths) await fs.rm(path, { force: true, recursive: true });
  await syncDirectory(fs, directory);
  warn(`state directory ${directory}: imported ${old.records.length} records of the one-file-per-key layout into ${snapshotPath(directory, generation)}`);
  for (const g of journals) leftovers.push(journalPath(directory, g));
  if (snapshot > 0) leftovers.push(snapshotPath(directory, snapshot));
  return { entries, generation, firstGeneration: generation, journal: { exists: false, length: 0, torn: false }, journalBytes: 0, leftovers };
}

/** Bytes the live records would take in a snapshot. */
export function liveBytes(entries: StateEntries): number {
  let bytes = 0;
  for (const [key, entry] of entries) bytes += entryBytes(key, entry);
  return bytes;
}
