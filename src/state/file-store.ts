/**
 * The embedded default StateStore: every record in memory, made durable by an append-only journal
 * with group commit, and compacted into snapshots. See docs/adr/0004-state-and-jetstream.md.
 *
 * ONE PROCESS ONLY. Nothing coordinates two processes (or two stores) on the same directory, so
 * their compare-and-set would race. Several replicas must use the NATS store (nats-kv-store.ts).
 * Because this process is the directory's only writer, the directory is read once, at the first
 * operation (load-state.ts); after that, gets and `keys` never touch the disk.
 *
 * Writes to one key are serialized, and each waits for its batch to be durable before the key's
 * next write is decided: a put or delete is checked against the durable record, is queued for the
 * journal (journal-writer.ts), and changes memory only once its batch is on disk, just before it
 * resolves. So a get never returns a value a crash could lose, and a put that rejects leaves
 * nothing behind. Writes to different keys share batches: one durable write for all of them.
 *
 * When the journals since the last snapshot outgrow the live data, the store switches to a new
 * journal and writes a snapshot of everything before it (temporary file, fsync, rename, directory
 * fsync); the superseded files are removed after that.
 *
 * Records with a lifetime (`retention`, retention.ts) carry their expiry: an expired record reads as
 * absent at once, is dropped from memory by a sweep at the next write (an expiry queue: the sweep
 * costs what it removes, never a scan), is left out of the next snapshot, and is dropped at load.
 * A key created again after its record expired still gets a higher revision than it ever had: the
 * highest revision dropped is kept as a floor (under a reserved key no `stateKey()` can produce).
 */
import { constants } from 'node:fs';
import { resolve } from 'node:path';
import { RunbridgeError, StateError } from '../errors.ts';
import { assertStateKey } from './assert-state-key.ts';
import { createJournalWriter, type JournalWriter } from './journal-writer.ts';
import { createKeyMutex } from './key-mutex.ts';
import { liveBytes, loadState, type LoadedState } from './load-state.ts';
import { entryBytes, snapshotFrames, type StateEntries, type StateEntry } from './state-entries.ts';
import { journalPath, snapshotPath } from './state-file-name.ts';
import { formatStateRecord } from './state-record.ts';
import { decodeStateValue, encodeStateValue } from './state-value.ts';
import { StateConflictError, type StateStore, type StoredValue } from './store.ts';
import { nodeFileCalls, type FileCalls } from '../fs/file-calls.ts';
import { syncDirectory } from '../fs/sync-directory.ts';
import { writeFileAtomic } from './write-file-atomic.ts';
import { createExpiryQueue } from './expiry-queue.ts';
import type { Retention } from './retention.ts';

export interface FileStoreOptions {
  directory: string;
  fs?: FileCalls;
  /**
   * A snapshot is written when the journals since the last one hold more than this many bytes
   * (default 8 MiB) and more than twice what a snapshot of the live data would.
   */
  compactAfterBytes?: number;
  /** Where warnings go (a torn last batch left out at start, a failed compaction). */
  warn?: (message: string) => void;
  /** The lifetimes of records (retention.ts); without it nothing expires. */
  retention?: Retention;
  /** The time records expire by, ms since the epoch (Date.now by default). */
  now?: () => number;
}

/** The highest revision of a record dropped by expiry; a name `stateKey()` cannot produce. */
const FLOOR_KEY = '.revision-floor';

/** The expiry queue of the records found at load (no lifetime is negative). */
const LOADED = -1;

/**
 * How the journal is opened: for appending and, where the platform has it, with O_DSYNC, so that
 * one write makes a batch durable (as a write and an fdatasync would, in one call instead of two).
 */
const DSYNC = constants.O_DSYNC ?? 0;
const JOURNAL_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC;

export function createFileStore(options: FileStoreOptions): StateStore {
  const fs = options.fs ?? nodeFileCalls;
  const directory = resolve(options.directory);
  const compactAfterBytes = options.compactAfterBytes ?? 8 * 2 ** 20;
  const warn = options.warn ?? ((message: string) => process.emitWarning(message, 'RunbridgeStateWarning'));
  const mutex = createKeyMutex();
  const now = options.now ?? Date.now;
  const retention = options.retention;
  const expiry = createExpiryQueue();
  let floor = 0;
  let entries: StateEntries = new Map();
  let loaded: Promise<LoadedState> | undefined;
  let ready: LoadedState | undefined;
  let writer: Promise<JournalWriter> | undefined;
  /** The writer once open, so that a write does not wait a turn for a settled promise. */
  let openedWriter: JournalWriter | undefined;
  let generation = 0;
  let firstGeneration = 0;
  let snapshotBytes = 0;
  let journalBytes = 0;
  let compaction: Promise<void> | undefined;
  let compactionFailedAt = 0;
  let closed = false;

  const load = (): Promise<LoadedState> =>
    (loaded ??= loadState(fs, directory, warn).then(
      (state) => {
        entries = state.entries;
        dropExpired();
        generation = state.generation;
        firstGeneration = state.firstGeneration;
        snapshotBytes = liveBytes(entries);
        journalBytes = state.journalBytes;
        ready = state;
        return state;
      },
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    ));

  const expired = (entry: StateEntry): boolean => entry.expires !== undefined && entry.expires <= now();

  const raiseFloor = (revision: number): void => {
    if (revision <= floor) return;
    floor = revision;
    entries.set(FLOOR_KEY, { revision: floor, json: String(floor) });
  };

  /** At load: expired records go, the others are queued in the order they expire. */
  const dropExpired = (): void => {
    floor = Number(entries.get(FLOOR_KEY)?.json ?? 0);
    const living: [string, number][] = [];
    for (const [key, entry] of entries) {
      if (entry.expires === undefined) continue;
      if (expired(entry)) {
        entries.delete(key);
        raiseFloor(entry.revision);
      } else living.push([key, entry.expires]);
    }
    // One queue of their own, in expiry order: they were written under lifetimes that may differ from today's.
    living.sort((a, b) => a[1] - b[1]);
    for (const [key, expires] of living) expiry.push(key, expires, LOADED);
  };

  /** Drops from memory the records whose expiry is due; the next snapshot leaves them out. */
  const sweep = (): void =>
    expiry.drain(now(), (key, expires) => {
      const entry = entries.get(key);
      if (entry?.expires !== expires) return; // written again since
      entries.delete(key);
      snapshotBytes -= entryBytes(key, entry);
      raiseFloor(entry.revision);
    });

  /** At the first write: tidy what start-up found, and open the journal for appending. */
  const openWriter = (state: LoadedState): Promise<JournalWriter> =>
    (writer ??= (async () => {
      for (const path of state.leftovers) await fs.rm(path, { force: true });
      const path = journalPath(directory, state.generation);
      const fd = await fs.open(path, JOURNAL_FLAGS);
      try {
        if (state.journal.torn) {
          await fs.ftruncate(fd, state.journal.length);
          await fs.fdatasync(fd);
        }
        if (!state.journal.exists) await syncDirectory(fs, directory);
      } catch (error) {
        await fs.close(fd).catch(() => undefined);
        throw error;
      }
      openedWriter = createJournalWriter({ fs, fd, length: state.journal.length, syncedWrites: DSYNC !== 0, committed });
      return openedWriter;
    })().catch((error: unknown) => {
      writer = undefined;
      throw error;
    }));

  const committed = (bytes: number): void => {
    journalBytes += bytes;
    const due = journalBytes > compactAfterBytes && journalBytes > 2 * snapshotBytes && journalBytes > 2 * compactionFailedAt;
    if (due && compaction === undefined && !closed) compaction = compact().finally(() => (compaction = undefined));
  };

  const compact = async (): Promise<void> => {
    const next = generation + 1;
    let snapshot: (readonly [string, StateEntry])[] = [];
    let superseded = 0;
    try {
      await (await writer!).rotate(
        async () => {
          const fd = await fs.open(journalPath(directory, next), JOURNAL_FLAGS);
          await syncDirectory(fs, directory).catch(async (error: unknown) => {
            await fs.close(fd);
            throw error;
          });
          return fd;
        },
        () => {
          // The records as they are at the switch; formatted frame by frame while being written.
          snapshot = [...entries];
          superseded = journalBytes;
          generation = next;
        },
      );
      await writeFileAtomic(fs, snapshotPath(directory, next), snapshotFrames(snapshot));
      journalBytes -= superseded;
      compactionFailedAt = 0;
      for (; firstGeneration < next; firstGeneration++) {
        await fs.rm(journalPath(directory, firstGeneration), { force: true });
        await fs.rm(snapshotPath(directory, firstGeneration), { force: true });
      }
    } catch (error) {
      compactionFailedAt = journalBytes;
      warn(`file state store ${directory}: compaction into ${snapshotPath(directory, next)} failed, the journals are kept: ${(error as Error).message}`);
    }
  };

  /**
   * Runs one operation: checks, waits for start-up, turns I/O failures into StateError. Once the
   * store is loaded, `fn` starts in the caller's turn: a put is one promise chain (the mutex turn,
   * the journal append) with no async wrapper around each layer.
   */
  const operate = <T>(what: string, key: string, fn: (state: LoadedState) => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new StateError(`file state store ${directory} is closed`));
    let result: Promise<T>;
    if (ready === undefined) {
      result = load().then(fn);
    } else {
      try {
        result = fn(ready);
      } catch (error) {
        result = Promise.reject(error);
      }
    }
    return result.catch((error: unknown) => {
      if (error instanceof RunbridgeError || error instanceof StateConflictError) throw error;
      throw new StateError(`file state store ${directory}: ${what} ${key} failed: ${(error as Error).message}`, { cause: error });
    });
  };

  /** Appends the key's next record; memory changes when it is durable. */
  const write = (state: LoadedState, key: string, entry: StateEntry): Promise<void> => {
    const line = formatStateRecord(key, entry.revision, entry.json, entry.expires);
    const applied = (): void => {
      snapshotBytes += entryBytes(key, entry) - entryBytes(key, entries.get(key));
      entries.set(key, entry);
      if (entry.expires !== undefined) expiry.push(key, entry.expires, entry.expires - written);
    };
    const written = now();
    sweep();
    const journal = openedWriter;
    return journal !== undefined ? journal.append(line, applied) : openWriter(state).then((opened) => opened.append(line, applied));
  };

  return {
    get<T>(key: string): Promise<StoredValue<T> | undefined> {
      try {
        assertStateKey(key);
      } catch (error) {
        return Promise.reject(error);
      }
      return operate('get', key, async () => {
        const entry = entries.get(key);
        if (entry?.json === undefined || expired(entry)) return undefined;
        return { value: decodeStateValue<T>(`state key ${key}`, entry.json), revision: entry.revision };
      });
    },

    put<T>(key: string, value: T, expectedRevision?: number): Promise<number> {
      let json: string;
      try {
        assertStateKey(key);
        json = encodeStateValue(key, value);
      } catch (error) {
        return Promise.reject(error);
      }
      return operate('put', key, (state) =>
        mutex.run(key, () => {
          const current = entries.get(key);
          const currentRevision = current?.json === undefined || expired(current) ? 0 : current.revision;
          if (expectedRevision !== undefined && expectedRevision !== currentRevision) return Promise.reject(new StateConflictError(key));
          const revision = (current?.revision ?? floor) + 1;
          const lifetime = retention?.lifetimeMs(key, value);
          return write(state, key, { revision, json, expires: lifetime === undefined ? undefined : now() + lifetime }).then(() => revision);
        }),
      );
    },

    delete(key: string): Promise<void> {
      try {
        assertStateKey(key);
      } catch (error) {
        return Promise.reject(error);
      }
      return operate('delete', key, (state) =>
        mutex.run(key, () => {
          const current = entries.get(key);
          if (current?.json === undefined || expired(current)) return Promise.resolve();
          return write(state, key, { revision: current.revision + 1, json: undefined });
        }),
      );
    },

    async keys(prefix: string): Promise<string[]> {
      return operate('keys', prefix, async () => {
        const keys: string[] = [];
        for (const [key, entry] of entries) if (entry.json !== undefined && key.startsWith(prefix) && key !== FLOOR_KEY && !expired(entry)) keys.push(key);
        return keys.sort();
      });
    },

    async close(): Promise<void> {
      closed = true;
      await mutex.idle();
      await compaction;
      const journal = await writer?.catch(() => undefined);
      await journal?.close();
    },
  };
}
