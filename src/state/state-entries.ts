/**
 * The file store's records in memory: key → revision and value JSON, or a tombstone (`json`
 * undefined) that keeps a deleted key's revision so it goes on counting up. A record replaces
 * another only with a higher revision, so replaying a journal over a snapshot that already holds
 * some of its records (a compaction interrupted by a crash) changes nothing.
 */
import { formatFrame } from './state-frame.ts';
import { formatStateRecord, type StateRecord } from './state-record.ts';

export interface StateEntry {
  readonly revision: number;
  /** The value as JSON text; undefined for a deleted key. */
  readonly json: string | undefined;
  /** When the record expires (ms since the epoch); undefined: never. */
  readonly expires?: number | undefined;
}

export type StateEntries = Map<string, StateEntry>;

/** Applies `record` unless the key already has this revision or a later one. */
export function applyRecord(entries: StateEntries, record: StateRecord): void {
  const current = entries.get(record.key);
  if (current !== undefined && current.revision >= record.revision) return;
  if (record.deleted) entries.set(record.key, { revision: record.revision, json: undefined });
  else entries.set(record.key, { revision: record.revision, json: JSON.stringify(record.value), expires: record.expires });
}

/** Roughly how many bytes a record takes in a snapshot. */
export function entryBytes(key: string, entry: StateEntry | undefined): number {
  return entry === undefined ? 0 : key.length + (entry.json?.length ?? 0) + 40;
}

/** A snapshot file's content: every record, live and deleted, in one frame. */
export function formatSnapshot(entries: StateEntries): Buffer {
  let lines = '';
  for (const [key, entry] of entries) lines += formatStateRecord(key, entry.revision, entry.json, entry.expires);
  return formatFrame(lines);
}
