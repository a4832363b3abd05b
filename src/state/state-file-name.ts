/**
 * The names of the file store's files in its directory:
 *
 * - `journal@<generation>`: records appended since the snapshot of the same generation;
 * - `snapshot@<generation>`: every record (live and deleted) written to journals of lower
 *   generations; only the highest one counts;
 * - `.tmp-*`: a snapshot being written (removed at start).
 *
 * `@` is outside the state key alphabet, so these names never look like the files of the
 * one-file-per-key layout of runbridge 0.1.0 (`<key>`, `<first 160 characters>~<hash>` for long
 * keys, `.deleted/<key>`), which are recognised so that they can be imported.
 */
import { join } from 'node:path';
import { isStateKey } from './assert-state-key.ts';
import { TEMP_PREFIX } from './write-file-atomic.ts';

const GENERATION = /^(journal|snapshot)@(\d{6,15})$/;
const HASHED_KEY = /^[A-Za-z0-9_=.-]{1,160}~[0-9a-f]{32}$/;
export const OLD_DELETED_DIRECTORY = '.deleted';

export type StateFileName =
  | { readonly kind: 'journal' | 'snapshot'; readonly generation: number }
  | { readonly kind: 'temporary' }
  /** A record file of the one-file-per-key layout; `key` when the name is the whole key. */
  | { readonly kind: 'old-record'; readonly key: string | undefined }
  | { readonly kind: 'old-deleted-directory' }
  | { readonly kind: 'other' };

export function classifyStateFileName(name: string): StateFileName {
  const generation = GENERATION.exec(name);
  if (generation) return { kind: generation[1] as 'journal' | 'snapshot', generation: Number(generation[2]) };
  if (name.startsWith(TEMP_PREFIX)) return { kind: 'temporary' };
  if (name === OLD_DELETED_DIRECTORY) return { kind: 'old-deleted-directory' };
  if (isStateKey(name)) return { kind: 'old-record', key: name };
  if (HASHED_KEY.test(name)) return { kind: 'old-record', key: undefined };
  return { kind: 'other' };
}

export function journalPath(directory: string, generation: number): string {
  return join(directory, `journal@${String(generation).padStart(6, '0')}`);
}

export function snapshotPath(directory: string, generation: number): string {
  return join(directory, `snapshot@${String(generation).padStart(6, '0')}`);
}
