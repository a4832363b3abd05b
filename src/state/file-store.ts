/**
 * The embedded default StateStore: one JSON file per key under a directory, written atomically
 * (temporary file, fsync, rename). Compare-and-set holds between concurrent callers of the same
 * store, serialized per key in memory.
 *
 * ONE PROCESS ONLY. Nothing coordinates two processes (or two stores) on the same directory, so
 * their compare-and-set would race. Several replicas must use the NATS store (nats-kv-store.ts).
 *
 * Because this process is the directory's only writer, what it read or wrote is remembered (the
 * record's text, or that the key has no file) for the most recently used keys: a get, and the read
 * inside a compare-and-set, cost no I/O for them — only writes touch the disk.
 *
 * Layout: `<directory>/<key>` holds `{ key, revision, value }`; a deleted key leaves a tombstone in
 * `<directory>/.deleted/<key>` so its revision keeps counting up. Names starting with `.` are the
 * store's own (tombstones, `.tmp-*` files of writes in progress, removed at start).
 */
import { join, resolve } from 'node:path';
import { RunbridgeError, StateError } from '../errors.ts';
import { assertStateKey, isStateKey } from './assert-state-key.ts';
import { createKeyMutex } from './key-mutex.ts';
import { nodeStateFs, type StateFs } from './state-fs.ts';
import { stateFileName, visibleKeyPart } from './state-file-name.ts';
import { formatStateRecord, parseStateRecord, type StateRecord } from './state-record.ts';
import { encodeStateValue } from './state-value.ts';
import { StateConflictError, type StateStore, type StoredValue } from './store.ts';
import { syncDirectory, TEMP_PREFIX, writeFileAtomic } from './write-file-atomic.ts';

export interface FileStoreOptions {
  directory: string;
  fs?: StateFs;
  /** How many keys' records are remembered (default 10,000); older ones are read from disk again. */
  cacheSize?: number;
}

export function createFileStore(options: FileStoreOptions): StateStore {
  const fs = options.fs ?? nodeStateFs;
  const directory = resolve(options.directory);
  const graveyard = join(directory, '.deleted');
  const mutex = createKeyMutex();
  const cacheSize = options.cacheSize ?? 10_000;
  /** key → the record file's text (live or tombstone), or null: no file. Insertion order = age. */
  const cache = new Map<string, string | null>();
  const remember = (key: string, text: string | null): void => {
    cache.delete(key);
    cache.set(key, text);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
  };
  let ready: Promise<void> | undefined;
  let closed = false;

  const prepare = (): Promise<void> =>
    (ready ??= (async () => {
      await fs.mkdir(graveyard, { recursive: true });
      for (const dir of [directory, graveyard]) {
        for (const name of await fs.readdir(dir)) {
          if (name.startsWith(TEMP_PREFIX)) await fs.rm(join(dir, name), { force: true });
        }
      }
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  /** Runs one operation: checks, waits for the directory, turns I/O failures into StateError. */
  const operate = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new StateError(`file state store ${directory} is closed`);
    try {
      await prepare();
      return await fn();
    } catch (error) {
      if (error instanceof RunbridgeError || error instanceof StateConflictError) throw error;
      throw new StateError(`file state store ${directory}: ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  };

  const readFileIfExists = async (file: string): Promise<string | undefined> => {
    try {
      return await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  /** The live record, else the tombstone, else nothing. */
  const readRecord = async (key: string): Promise<StateRecord | undefined> => {
    const name = stateFileName(key);
    const cached = cache.get(key);
    if (cached === null) return undefined;
    if (cached !== undefined) return parseStateRecord(join(directory, name), key, cached);
    for (const file of [join(directory, name), join(graveyard, name)]) {
      const text = await readFileIfExists(file);
      if (text !== undefined) {
        const record = parseStateRecord(file, key, text);
        remember(key, text);
        return record;
      }
    }
    remember(key, null);
    return undefined;
  };

  return {
    async get<T>(key: string): Promise<StoredValue<T> | undefined> {
      assertStateKey(key);
      return operate(`get ${key}`, async () => {
        const record = await readRecord(key);
        if (record === undefined || record.deleted) return undefined;
        return { value: record.value as T, revision: record.revision };
      });
    },

    async put<T>(key: string, value: T, expectedRevision?: number): Promise<number> {
      assertStateKey(key);
      const json = encodeStateValue(key, value);
      return operate(`put ${key}`, () =>
        mutex.run(key, async () => {
          const current = await readRecord(key);
          const currentRevision = current === undefined || current.deleted ? 0 : current.revision;
          if (expectedRevision !== undefined && expectedRevision !== currentRevision) throw new StateConflictError(key);
          const revision = (current?.revision ?? 0) + 1;
          const name = stateFileName(key);
          const text = formatStateRecord(key, revision, json);
          cache.delete(key); // a failed write must not leave a remembered record behind
          await writeFileAtomic(fs, join(directory, name), text);
          if (current?.deleted) await fs.rm(join(graveyard, name), { force: true });
          remember(key, text);
          return revision;
        }),
      );
    },

    async delete(key: string): Promise<void> {
      assertStateKey(key);
      return operate(`delete ${key}`, () =>
        mutex.run(key, async () => {
          const current = await readRecord(key);
          if (current === undefined || current.deleted) return;
          const name = stateFileName(key);
          const tombstone = formatStateRecord(key, current.revision + 1, undefined);
          cache.delete(key);
          // Tombstone first: a crash in between leaves the live file, which still wins.
          await writeFileAtomic(fs, join(graveyard, name), tombstone);
          await fs.rm(join(directory, name), { force: true });
          await syncDirectory(fs, directory);
          remember(key, tombstone);
        }),
      );
    },

    async keys(prefix: string): Promise<string[]> {
      return operate(`keys ${prefix}`, async () => {
        const keys: string[] = [];
        for (const name of await fs.readdir(directory)) {
          if (name.startsWith('.')) continue;
          const visible = visibleKeyPart(name);
          if (visible.complete) {
            if (isStateKey(name) && name.startsWith(prefix)) keys.push(name);
            continue;
          }
          if (!visible.text.startsWith(prefix.slice(0, visible.text.length))) continue;
          const file = join(directory, name);
          const text = await readFileIfExists(file);
          if (text === undefined) continue; // deleted meanwhile
          const record = parseStateRecord(file, undefined, text);
          if (record.key.startsWith(prefix)) keys.push(record.key);
        }
        return keys.sort();
      });
    },

    async close(): Promise<void> {
      closed = true;
      await mutex.idle();
    },
  };
}
