import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { StateError } from '../../src/errors.ts';
import { createFileStore, type FileStoreOptions } from '../../src/state/file-store.ts';
import { readFrameFile } from '../../src/state/read-frame-file.ts';
import { nodeFileCalls, type FileCalls } from '../../src/fs/file-calls.ts';
import { formatFrame } from '../../src/state/state-frame.ts';
import type { StateRecord } from '../../src/state/state-record.ts';
import { StateConflictError, stateKey } from '../../src/state/store.ts';
import { describeStateStoreContract } from './state-store-contract.ts';

const root = await mkdtemp(join(tmpdir(), 'runbridge-file-store-'));
after(() => rm(root, { recursive: true, force: true }));
let count = 0;
const freshDirectory = (): string => join(root, `store-${++count}`);
const JOURNAL = 'journal@000001';

let now = Date.parse('2026-01-01T00:00:00Z');
describeStateStoreContract('file store', async () => createFileStore({ directory: freshDirectory() }), {
  make: async (retention) => createFileStore({ directory: freshDirectory(), retention, now: () => now }),
  elapse: async (ms) => void (now += ms),
  lifetimeMs: 60_000,
});

/** The records of a journal or snapshot file, checked. */
async function recordsIn(file: string): Promise<StateRecord[]> {
  return readFrameFile(file, await readFile(file), { mayBeTorn: false }).records;
}

const isStateErrorNaming = (text: string) => (error: unknown): boolean => {
  assert.ok(error instanceof StateError, String(error));
  assert.equal(error.code, 'RB_STATE');
  assert.ok(error.message.includes(text), `${error.message} should name ${text}`);
  return true;
};

/**
 * node:fs with hooks on the calls a test wants to see, fail or hold. `write` runs after the data
 * was handed to the file: it is where a journal write becomes durable (O_DSYNC) or fails to.
 */
function hookedFs(hooks: {
  write?: (path: string) => Promise<void> | void;
  datasync?: (path: string) => Promise<void> | void;
  truncate?: (path: string) => Promise<void> | void;
  rename?: (from: string, to: string) => Promise<void> | void;
  read?: (path: string) => void;
}): FileCalls {
  const paths = new Map<number, string>();
  const pathOf = (fd: number): string => paths.get(fd) ?? `fd ${fd}`;
  return {
    ...nodeFileCalls,
    readFile: async (path) => {
      hooks.read?.(path);
      return nodeFileCalls.readFile(path);
    },
    readdir: async (path) => {
      hooks.read?.(path);
      return nodeFileCalls.readdir(path);
    },
    rename: async (from, to) => {
      await hooks.rename?.(from, to);
      return nodeFileCalls.rename(from, to);
    },
    open: async (path, flags) => {
      const fd = await nodeFileCalls.open(path, flags);
      paths.set(fd, path);
      return fd;
    },
    write: async (fd, data) => {
      await nodeFileCalls.write(fd, data);
      await hooks.write?.(pathOf(fd));
    },
    fdatasync: async (fd) => {
      await hooks.datasync?.(pathOf(fd));
      return nodeFileCalls.fdatasync(fd);
    },
    ftruncate: async (fd, length) => {
      await hooks.truncate?.(pathOf(fd));
      return nodeFileCalls.ftruncate(fd, length);
    },
    close: async (fd) => {
      paths.delete(fd);
      return nodeFileCalls.close(fd);
    },
  };
}

const eio = (call: string): Error => Object.assign(new Error(`EIO: i/o error, ${call}`), { code: 'EIO' });

function openStore(directory: string, options: Omit<FileStoreOptions, 'directory'> = {}) {
  const warnings: string[] = [];
  const store = createFileStore({ directory, warn: (message) => void warnings.push(message), ...options });
  return { store, warnings };
}

describe('file store: persistence', () => {
  test('a new store on the same directory sees values, revisions and deletions', async () => {
    const directory = freshDirectory();
    const first = createFileStore({ directory });
    const revision = await first.put('submissions.a', { run: 'r-1' });
    await first.put('submissions.b', 'doomed');
    const deletedAt = await first.put('submissions.b', 'doomed again');
    await first.delete('submissions.b');
    await first.close();

    const second = createFileStore({ directory });
    assert.deepEqual(await second.get('submissions.a'), { value: { run: 'r-1' }, revision });
    assert.equal(await second.get('submissions.b'), undefined);
    assert.deepEqual(await second.keys('submissions.'), ['submissions.a']);
    assert.equal(await second.put('submissions.a', { run: 'r-2' }, revision), revision + 1);
    const recreated = await second.put('submissions.b', 'back', 0);
    assert.ok(recreated > deletedAt, 'revisions keep counting across a delete and a restart');
    await second.close();
  });

  test('the directory holds one journal of checksummed batches: key, revision and value per line, tombstones for deletes', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    const key = stateKey('artifacts', 'default/trainer');
    await store.put(key, { examples: 'gs://bucket/x' });
    await store.put(key, { examples: 'gs://bucket/y' });
    await store.put('gone', 1);
    await store.delete('gone');
    await store.close();
    assert.deepEqual(await readdir(directory), [JOURNAL]);
    assert.deepEqual(await recordsIn(join(directory, JOURNAL)), [
      { key, revision: 1, value: { examples: 'gs://bucket/x' } },
      { key, revision: 2, value: { examples: 'gs://bucket/y' } },
      { key: 'gone', revision: 1, value: 1 },
      { key: 'gone', revision: 2, deleted: true },
    ]);
    const text = await readFile(join(directory, JOURNAL), 'utf8');
    assert.match(text, /^#\d+ [0-9a-f]{8}\n\{"key":"artifacts\.=ZGVmYXVsdC90cmFpbmVy","revision":1,/);
  });

  test('keys of any length are stored and listed by their real key', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    const long = stateKey('submissions', 'x'.repeat(300));
    const longer = stateKey('submissions', 'x'.repeat(300) + 'y');
    await store.put(long, 1);
    await store.put(longer, 2);
    assert.deepEqual((await store.get(long))?.value, 1);
    assert.deepEqual((await store.get(longer))?.value, 2);
    assert.deepEqual(await store.keys('submissions.'), [long, longer].sort());
    assert.deepEqual(await store.keys(longer), [longer]);
    await store.delete(long);
    assert.deepEqual(await store.keys('submissions.'), [longer]);
    await store.close();
    const again = createFileStore({ directory });
    assert.deepEqual(await again.keys('submissions.'), [longer]);
    assert.equal(await again.get(long), undefined);
    await again.close();
  });

  test('the directory is read once: gets and keys after start-up never touch the disk', async () => {
    const directory = freshDirectory();
    const seed = createFileStore({ directory });
    await seed.put('a.one', 1);
    await seed.close();
    const reads: string[] = [];
    const store = createFileStore({ directory, fs: hookedFs({ read: (path) => void reads.push(path) }) });
    assert.deepEqual((await store.get('a.one'))?.value, 1);
    const atStart = reads.length;
    assert.ok(atStart >= 2, `start-up reads the directory and the journal: ${reads.join(', ')}`);
    for (let i = 0; i < 20; i++) {
      assert.equal(await store.get(`missing.${i}`), undefined);
      assert.deepEqual(await store.keys('a.'), ['a.one']);
    }
    await store.put('a.two', 2);
    assert.deepEqual(await store.keys('a.'), ['a.one', 'a.two']);
    assert.deepEqual(reads.slice(atStart), []);
    await store.close();
  });
});

describe('file store: group commit', () => {
  test('concurrent writes to different keys share batches: one durable write each', async () => {
    const directory = freshDirectory();
    let writes = 0;
    let datasyncs = 0;
    const store = createFileStore({ directory, fs: hookedFs({ write: () => void writes++, datasync: () => void datasyncs++ }) });
    const revisions = await Promise.all(Array.from({ length: 100 }, (_, i) => store.put(`k.${i}`, { i }, 0)));
    assert.deepEqual(revisions, Array.from({ length: 100 }, () => 1));
    assert.ok(writes <= 3, `${writes} writes for 100 concurrent puts`);
    assert.ok(datasyncs <= writes, `${datasyncs} fdatasyncs for ${writes} writes`);
    assert.equal((await store.keys('k.')).length, 100);
    await store.close();
    assert.equal((await recordsIn(join(directory, JOURNAL))).length, 100);
  });

  test('a put resolves, and its value becomes visible, only once its batch is on disk', async () => {
    const directory = freshDirectory();
    let release: () => void = () => undefined;
    let hold = false;
    const store = createFileStore({
      directory,
      fs: hookedFs({ write: () => (hold ? new Promise<void>((resolve) => (release = resolve)) : undefined) }),
    });
    const first = await store.put('k', 'durable');
    hold = true;
    let resolved = false;
    const pending = store.put('k', 'in flight', first).then((revision) => {
      resolved = true;
      return revision;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(resolved, false, 'not resolved before the write is durable');
    assert.deepEqual(await store.get('k'), { value: 'durable', revision: first }, 'readers see only durable records');
    assert.deepEqual(await store.keys(''), ['k']);
    const racing = store.put('k', 'racing', first);
    hold = false;
    release();
    assert.equal(await pending, first + 1);
    await assert.rejects(racing, StateConflictError, 'the next writer of the key is checked against the durable record');
    assert.deepEqual(await store.get('k'), { value: 'in flight', revision: first + 1 });
    await store.close();
  });
});

describe('file store: failed writes', () => {
  test('a batch that cannot be made durable rejects every put in it, and none of them is ever visible', async () => {
    const directory = freshDirectory();
    let failures = 0;
    const store = createFileStore({
      directory,
      fs: hookedFs({
        write: (path) => {
          if (failures > 0 && path.endsWith(JOURNAL)) {
            failures--;
            throw eio('write');
          }
        },
      }),
    });
    const revision = await store.put('precious', { version: 1 });
    failures = 1;
    const results = await Promise.allSettled([store.put('precious', { version: 2 }), store.put('other', 'x', 0), store.delete('precious')]);
    assert.equal(failures, 0);
    assert.equal(results[0].status, 'rejected');
    assert.ok(results[0].status === 'rejected' && isStateErrorNaming('put precious failed: EIO: i/o error, write')(results[0].reason));
    assert.ok(results[1].status === 'rejected' && isStateErrorNaming('put other failed: EIO: i/o error, write')(results[1].reason));
    // The delete queued behind the failed put of its key, and so went into the next (good) batch.
    assert.equal(results[2].status, 'fulfilled');
    assert.equal(await store.get('other'), undefined);
    assert.equal(await store.get('precious'), undefined);
    const recreated = await store.put('precious', { version: 3 }, 0);
    assert.equal(recreated, revision + 2, 'the failed revision was never taken');
    assert.equal(await store.put('other', 'y', 0), 1);
    await store.close();

    const after = createFileStore({ directory });
    assert.deepEqual(await after.get('precious'), { value: { version: 3 }, revision: recreated });
    assert.deepEqual(await after.get('other'), { value: 'y', revision: 1 });
    await after.close();
    const lines = (await recordsIn(join(directory, JOURNAL))).map((record) => JSON.stringify(record));
    assert.ok(!lines.some((line) => line.includes('"version":2')), 'the failed batch, written before the error, was cut out of the journal');
  });

  test('when a failed batch cannot even be cut back, every later write is refused', async () => {
    const directory = freshDirectory();
    let fail = false;
    const store = createFileStore({
      directory,
      fs: hookedFs({
        write: () => {
          if (fail) throw eio('write');
        },
        truncate: () => {
          if (fail) throw eio('ftruncate');
        },
      }),
    });
    await store.put('k', 1);
    fail = true;
    await assert.rejects(store.put('k', 2), isStateErrorNaming('put k failed: EIO: i/o error, write'));
    fail = false;
    await assert.rejects(store.put('k', 3), isStateErrorNaming('could not be cut back'));
    await assert.rejects(store.delete('k'), StateError);
    assert.deepEqual((await store.get('k'))?.value, 1, 'reads go on from memory');
    await store.close();
  });

  test('a state directory that cannot be created fails each operation with a StateError', async () => {
    const file = join(freshDirectory());
    await writeFile(file, 'not a directory');
    const store = createFileStore({ directory: join(file, 'state') });
    await assert.rejects(store.get('k'), isStateErrorNaming('get k failed'));
    await assert.rejects(store.put('k', 1), isStateErrorNaming('put k failed'));
    await store.close();
  });
});

describe('file store: directories made durable', () => {
  test('a state directory created at start-up is synced into each parent it was created in, and before the first write', async () => {
    const base = freshDirectory();
    const directory = join(base, 'a', 'b');
    const synced: string[] = [];
    const fs: FileCalls = {
      ...nodeFileCalls,
      open: async (path, flags) => {
        if (flags === 'r') synced.push(path);
        return nodeFileCalls.open(path, flags);
      },
    };
    const store = createFileStore({ directory, fs });
    await store.put('k', 1);
    await store.close();
    assert.deepEqual(synced, [join(base, 'a'), base, root, directory]);
  });
});

describe('file store: crash recovery', () => {
  async function seeded(): Promise<string> {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    await store.put('a', 1);
    await store.put('b', 2);
    await store.put('a', 3);
    await store.close();
    return directory;
  }

  const tornTails: Array<[string, (frame: Buffer) => Buffer]> = [
    ['cut short', (frame) => frame.subarray(0, frame.length - 5)],
    ['header only half written', (frame) => frame.subarray(0, 4)],
    ['zeros where its data should be', (frame) => Buffer.concat([frame.subarray(0, 14), Buffer.alloc(frame.length - 14)])],
    ['all zeros', (frame) => Buffer.alloc(frame.length)],
    ['a byte changed', (frame) => Buffer.from(frame.map((byte, i) => (i === frame.length - 3 ? byte ^ 1 : byte)))],
  ];
  for (const [label, tear] of tornTails) {
    test(`a last batch torn by a crash (${label}) is left out with a warning, and cut off at the next write`, async () => {
      const directory = await seeded();
      const journal = join(directory, JOURNAL);
      const good = (await stat(journal)).size;
      await appendFile(journal, tear(formatFrame('{"key":"a","revision":3,"value":"torn"}\n{"key":"c","revision":1,"value":"torn"}\n')));
      const { store, warnings } = openStore(directory);
      assert.deepEqual(await store.get('a'), { value: 3, revision: 2 });
      assert.equal(await store.get('c'), undefined);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]?.includes(journal) && warnings[0].includes(`at byte ${good}`), warnings[0]);
      assert.equal(await store.put('c', 'fresh', 0), 1);
      await store.close();
      const { store: again, warnings: none } = openStore(directory);
      assert.deepEqual(await again.get('c'), { value: 'fresh', revision: 1 });
      assert.deepEqual(await again.keys(''), ['a', 'b', 'c']);
      assert.deepEqual(none, []);
      await again.close();
    });
  }

  test('reading alone never changes the directory, even with a torn last batch', async () => {
    const directory = await seeded();
    const journal = join(directory, JOURNAL);
    await appendFile(journal, formatFrame('{"key":"x","revision":1,"value":1}\n').subarray(0, 10));
    const before = await readFile(journal);
    const { store } = openStore(directory);
    assert.deepEqual(await store.keys(''), ['a', 'b']);
    await store.close();
    assert.deepEqual(await readFile(journal), before);
  });

  const corruptions: Array<[string, (journal: Buffer) => Buffer, string]> = [
    ['a byte changed in the first batch', (journal) => Buffer.from(journal.map((byte, i) => (i === 20 ? byte ^ 4 : byte))), 'at byte 0: a checksum mismatch'],
    ['a frame header damaged', (journal) => Buffer.concat([Buffer.from('#zz'), journal.subarray(3)]), 'at byte 0: no frame header'],
    [
      'a checksummed line that is not a record',
      (journal) => Buffer.concat([formatFrame('{"key":"a","revision":0,"value":1}\n'), journal]),
      'at byte 13 is not a state record',
    ],
    ['a checksummed line that is not JSON', (journal) => Buffer.concat([formatFrame('{"key":\n'), journal]), 'at byte 12 does not hold valid JSON'],
  ];
  for (const [label, corrupt, where] of corruptions) {
    test(`corruption before the last batch (${label}) is a StateError naming the file and byte, and nothing is changed`, async () => {
      const directory = await seeded();
      const journal = join(directory, JOURNAL);
      const damaged = corrupt(await readFile(journal));
      await writeFile(journal, damaged);
      const { store } = openStore(directory);
      const namesPlace = (error: unknown): boolean => isStateErrorNaming(journal)(error) && isStateErrorNaming(where)(error);
      await assert.rejects(store.get('a'), namesPlace);
      await assert.rejects(store.put('a', 'overwrite'), namesPlace);
      await assert.rejects(store.keys(''), namesPlace);
      await store.close();
      assert.deepEqual(await readFile(journal), damaged, 'never silently replaced');
    });
  }

  test('temporary files left by a crash are removed at the first write', async () => {
    const directory = await seeded();
    await writeFile(join(directory, '.tmp-snapshot@000002-0123456789ab'), 'half a snapshot');
    const { store } = openStore(directory);
    assert.deepEqual(await store.get('b'), { value: 2, revision: 1 });
    await store.put('b', 4);
    assert.deepEqual((await readdir(directory)).sort(), [JOURNAL]);
    await store.close();
  });
});

describe('file store: compaction', () => {
  test('past the threshold a snapshot replaces the journals; values, revisions and tombstones survive', async () => {
    const directory = freshDirectory();
    const { store, warnings } = openStore(directory, { compactAfterBytes: 2_000 });
    await store.put('dead', 'soon');
    await store.delete('dead');
    let revision = 0;
    for (let i = 0; i < 200; i++) revision = await store.put('hot', { i, pad: 'x'.repeat(50) });
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.put(`cold.${i}`, i)));
    await store.close();
    assert.deepEqual(warnings, []);
    const names = (await readdir(directory)).sort();
    assert.equal(names.filter((name) => name.startsWith('snapshot@')).length, 1, names.join(' '));
    assert.equal(names.filter((name) => name.startsWith('journal@')).length, 1, names.join(' '));
    const snapshot = names.find((name) => name.startsWith('snapshot@'))!;
    assert.ok(names.includes(snapshot.replace('snapshot@', 'journal@')), 'the journal after the snapshot');
    let journalBytes = 0;
    for (const name of names) journalBytes += (await stat(join(directory, name))).size;
    assert.ok(journalBytes < 20_000, `${journalBytes} bytes on disk for 200 puts of 80 bytes`);

    const again = createFileStore({ directory });
    assert.deepEqual(await again.get('hot'), { value: { i: 199, pad: 'x'.repeat(50) }, revision });
    assert.equal(revision, 200);
    assert.equal((await again.keys('cold.')).length, 30);
    assert.equal(await again.get('dead'), undefined);
    await assert.rejects(again.put('dead', 'stale', 1), StateConflictError);
    assert.equal(await again.put('dead', 'again', 0), 3, 'the tombstone kept its revision through the snapshot');
    await again.close();
  });

  test('a large snapshot is written as many frames (formatted one at a time, not in one long pause); all of it loads back', async () => {
    const directory = freshDirectory();
    const { store, warnings } = openStore(directory, { compactAfterBytes: 200_000 });
    const total = 5_000;
    await Promise.all(Array.from({ length: total }, (_, i) => store.put(`record.${i}`, { i, pad: 'x'.repeat(40) })));
    // Rewriting every record doubles the journals over the live data: a compaction starts.
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: total }, (_, i) => store.put(`record.${i}`, { i, round, pad: 'y'.repeat(40) })));
    await store.close();
    assert.deepEqual(warnings, []);
    const names = (await readdir(directory)).sort();
    const snapshot = names.find((name) => name.startsWith('snapshot@'));
    assert.ok(snapshot, names.join(' '));
    const frames = (await readFile(join(directory, snapshot), 'latin1')).split('\n').filter((line) => line.startsWith('#')).length;
    assert.ok(frames >= 5, `a snapshot of ${total} records in ${frames} frames`);
    const again = createFileStore({ directory });
    assert.equal((await again.keys('record.')).length, total);
    assert.deepEqual((await again.get('record.4321'))?.value, { i: 4321, round: 2, pad: 'y'.repeat(40) });
    await again.close();
  });

  test('a snapshot that cannot be written leaves the journals in place, with a warning', async () => {
    const directory = freshDirectory();
    const { store, warnings } = openStore(directory, {
      compactAfterBytes: 1_000,
      fs: hookedFs({
        rename: () => {
          throw eio('rename');
        },
      }),
    });
    for (let i = 0; i < 60; i++) await store.put('hot', i);
    await store.close();
    assert.ok(warnings.length >= 1 && warnings[0]?.includes('compaction'), warnings.join('\n'));
    assert.ok(warnings.length <= 3, `compaction is not retried after every batch: ${warnings.length} warnings`);
    assert.ok(!(await readdir(directory)).some((name) => name.startsWith('snapshot@') || name.startsWith('.tmp-')));
    const again = createFileStore({ directory });
    assert.deepEqual(await again.get('hot'), { value: 59, revision: 60 });
    await again.close();
  });

  test('a journal that a newer snapshot already holds (a crash before its removal) is replayed harmlessly, then removed', async () => {
    const directory = freshDirectory();
    const first = createFileStore({ directory });
    for (let i = 0; i < 5; i++) await first.put('k', i);
    await first.close();
    const oldJournal = await readFile(join(directory, JOURNAL));
    const second = createFileStore({ directory, compactAfterBytes: 100 });
    for (let i = 5; i < 40; i++) await second.put('k', i);
    await second.close();
    assert.ok(!(await readdir(directory)).includes(JOURNAL));
    await writeFile(join(directory, JOURNAL), oldJournal);
    const third = createFileStore({ directory });
    assert.deepEqual(await third.get('k'), { value: 39, revision: 40 });
    await third.put('k', 40);
    await third.close();
    assert.ok(!(await readdir(directory)).includes(JOURNAL), 'superseded journal removed at the first write');
  });
});

describe('file store: the one-file-per-key layout of runbridge 0.1.0', () => {
  async function oldDirectory(): Promise<string> {
    const directory = freshDirectory();
    await mkdir(join(directory, '.deleted'), { recursive: true });
    const long = stateKey('submissions', 'x'.repeat(300));
    await writeFile(join(directory, 'submissions.a'), '{"key":"submissions.a","revision":4,"value":{"run":"r-4"}}\n');
    await writeFile(join(directory, `${long.slice(0, 160)}~${'0'.repeat(32)}`), `{"key":"${long}","revision":2,"value":"long"}\n`);
    await writeFile(join(directory, '.deleted', 'submissions.gone'), '{"key":"submissions.gone","revision":7,"deleted":true}\n');
    // A crash inside a 0.1.0 delete left both files; the live one counted.
    await writeFile(join(directory, 'submissions.both'), '{"key":"submissions.both","revision":2,"value":"alive"}\n');
    await writeFile(join(directory, '.deleted', 'submissions.both'), '{"key":"submissions.both","revision":3,"deleted":true}\n');
    await writeFile(join(directory, '.tmp-submissions.a-0123456789ab'), '{"key":"submissions.a","revision":5,"val');
    await writeFile(join(directory, 'README with spaces.txt'), 'not ours');
    return directory;
  }

  test('is imported once at start: values, revisions and tombstones, then its files are removed', async () => {
    const directory = await oldDirectory();
    const long = stateKey('submissions', 'x'.repeat(300));
    const { store, warnings } = openStore(directory);
    assert.deepEqual(await store.get('submissions.a'), { value: { run: 'r-4' }, revision: 4 });
    assert.deepEqual(await store.get(long), { value: 'long', revision: 2 });
    assert.deepEqual(await store.get('submissions.both'), { value: 'alive', revision: 2 });
    assert.deepEqual(await store.keys(''), [long, 'submissions.a', 'submissions.both'].sort());
    assert.equal(await store.put('submissions.gone', 'back', 0), 8, 'the tombstone revision carried over');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /imported 4 records of the one-file-per-key layout/);
    await store.close();
    assert.deepEqual((await readdir(directory)).sort(), ['README with spaces.txt', 'journal@000001', 'snapshot@000001']);

    const { store: again, warnings: none } = openStore(directory);
    assert.deepEqual(await again.get('submissions.gone'), { value: 'back', revision: 8 });
    assert.deepEqual(await again.get('submissions.a'), { value: { run: 'r-4' }, revision: 4 });
    assert.deepEqual(none, []);
    await again.close();
  });

  const cases: Array<[string, string]> = [
    ['truncated JSON', '{"key":"broken.key","revision":3,"val'],
    ['empty file', ''],
    ['an array', '[1,2]'],
    ['a different key', '{"key":"other.key","revision":1,"value":1}'],
    ['no revision', '{"key":"broken.key","value":1}'],
    ['revision 0', '{"key":"broken.key","revision":0,"value":1}'],
    ['fractional revision', '{"key":"broken.key","revision":1.5,"value":1}'],
    ['no value', '{"key":"broken.key","revision":1}'],
  ];
  for (const [label, content] of cases) {
    test(`a file of it that is not a record (${label}) fails every operation with a StateError naming the file; nothing is changed`, async () => {
      const directory = await oldDirectory();
      const file = join(directory, 'broken.key');
      await writeFile(file, content);
      const before = (await readdir(directory)).sort();
      const store = createFileStore({ directory });
      await assert.rejects(store.get('submissions.a'), isStateErrorNaming(file));
      await assert.rejects(store.put('broken.key', 'overwrite'), isStateErrorNaming(file));
      await assert.rejects(store.delete('broken.key'), isStateErrorNaming(file));
      await assert.rejects(store.keys(''), isStateErrorNaming(file));
      await store.close();
      assert.equal(await readFile(file, 'utf8'), content, 'never silently replaced');
      assert.deepEqual((await readdir(directory)).sort(), before);
    });
  }
});
