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

/** Records per frame of a snapshot: about a millisecond of formatting each. */
const RECORDS_PER_FRAME = 1_000;

/**
 * A snapshot file's content: every record, live and deleted, as frames of up to
 * RECORDS_PER_FRAME records, each formatted only when it is asked for. The writer awaits each
 * frame's write before it asks for the next, so the event loop runs between frames: a snapshot of
 * a large store is never one long pause. `entries` is an array taken at the snapshot's moment
 * (entries are replaced, never changed, so later writes to the store do not reach it).
 */
export function* snapshotFrames(entries: readonly (readonly [string, StateEntry])[]): Generator<Buffer> {
  for (let start = 0; start < entries.length || start === 0; start += RECORDS_PER_FRAME) {
    let lines = '';
    for (const [key, entry] of entries.slice(start, start + RECORDS_PER_FRAME)) lines += formatStateRecord(key, entry.revision, entry.json, entry.expires);
    yield formatFrame(lines);
  }
}
