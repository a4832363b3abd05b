import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { StateError } from '../../src/errors.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { nodeStateFs, type StateFs } from '../../src/state/state-fs.ts';
import { stateKey } from '../../src/state/store.ts';
import { describeStateStoreContract } from './state-store-contract.ts';

const root = await mkdtemp(join(tmpdir(), 'runbridge-file-store-'));
after(() => rm(root, { recursive: true, force: true }));
let count = 0;
const freshDirectory = (): string => join(root, `store-${++count}`);

describeStateStoreContract('file store', async () => createFileStore({ directory: freshDirectory() }));

/** Every name in the directory tree that a write in progress would leave. */
async function tempFiles(directory: string): Promise<string[]> {
  const names = await readdir(directory, { recursive: true });
  return names.filter((name) => name.split('/').some((part) => part.startsWith('.tmp-')));
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

  test('each key is one JSON file named after the key, holding key, revision and value', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    const key = stateKey('artifacts', 'default/trainer');
    await store.put(key, { examples: 'gs://bucket/x' });
    await store.put(key, { examples: 'gs://bucket/y' });
    const record: unknown = JSON.parse(await readFile(join(directory, key), 'utf8'));
    assert.deepEqual(record, { key, revision: 2, value: { examples: 'gs://bucket/y' } });
    await store.close();
  });

  test('keys longer than a file name may be are stored under a hashed name and listed by their real key', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    const long = stateKey('submissions', 'x'.repeat(300));
    const longer = stateKey('submissions', 'x'.repeat(300) + 'y');
    await store.put(long, 1);
    await store.put(longer, 2);
    for (const name of await readdir(directory)) assert.ok(name.length <= 200, `file name of ${name.length} characters`);
    assert.deepEqual((await store.get(long))?.value, 1);
    assert.deepEqual((await store.get(longer))?.value, 2);
    assert.deepEqual(await store.keys('submissions.'), [long, longer].sort());
    assert.deepEqual(await store.keys(longer), [longer]);
    await store.delete(long);
    assert.deepEqual(await store.keys('submissions.'), [longer]);
    await store.close();
  });
});

describe('file store: corrupt files', () => {
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
    test(`${label}: get, put and delete fail with a StateError naming the file, and the file is kept`, async () => {
      const directory = freshDirectory();
      const store = createFileStore({ directory });
      await store.put('healthy.key', 'fine');
      const file = join(directory, 'broken.key');
      await writeFile(file, content);
      const namesFile = (error: unknown): boolean => {
        assert.ok(error instanceof StateError, String(error));
        assert.equal(error.code, 'RB_STATE');
        assert.ok(error.message.includes(file), error.message);
        return true;
      };
      await assert.rejects(store.get('broken.key'), namesFile);
      await assert.rejects(store.put('broken.key', 'overwrite'), namesFile);
      await assert.rejects(store.put('broken.key', 'overwrite', 0), namesFile);
      await assert.rejects(store.delete('broken.key'), namesFile);
      assert.equal(await readFile(file, 'utf8'), content, 'never silently replaced');
      assert.deepEqual((await store.get('healthy.key'))?.value, 'fine', 'other keys unaffected');
      await store.close();
    });
  }
});

describe('file store: atomic writes', () => {
  test('no temporary files are left after many concurrent writes', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.put(`k.${i % 5}`, { i, pad: 'x'.repeat(1000) })),
    );
    await store.delete('k.0');
    assert.deepEqual(await tempFiles(directory), []);
    assert.deepEqual(await store.keys('k.'), ['k.1', 'k.2', 'k.3', 'k.4']);
    await store.close();
  });

  test('a write that fails before the rename keeps the old value and leaves no temporary file', async () => {
    const directory = freshDirectory();
    let failSync = false;
    const flakyFs: StateFs = {
      ...nodeStateFs,
      open: async (path, flags) => {
        const handle = await nodeStateFs.open(path, flags);
        if (!failSync || flags !== 'wx') return handle;
        return {
          writeFile: (data, encoding) => handle.writeFile(data, encoding),
          close: () => handle.close(),
          sync: () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })),
        };
      },
    };
    const store = createFileStore({ directory, fs: flakyFs });
    const revision = await store.put('precious', { version: 1 });
    failSync = true;
    await assert.rejects(store.put('precious', { version: 2 }), (error: unknown) => {
      assert.ok(error instanceof StateError, String(error));
      assert.match(error.message, /put precious failed: EIO/);
      return true;
    });
    failSync = false;
    assert.deepEqual(await store.get('precious'), { value: { version: 1 }, revision });
    assert.deepEqual(await tempFiles(directory), []);
    assert.equal(await store.put('precious', { version: 2 }, revision), revision + 1);
    await store.close();
  });

  test('temporary files left by a crash are removed when a store opens the directory', async () => {
    const directory = freshDirectory();
    const first = createFileStore({ directory });
    await first.put('survivor', 1);
    await first.close();
    await writeFile(join(directory, '.tmp-survivor-0123456789ab'), '{"key":"survivor","revision":2,"val');
    await writeFile(join(directory, '.deleted', '.tmp-x-0123456789ab'), '');
    const second = createFileStore({ directory });
    assert.deepEqual(await second.get('survivor'), { value: 1, revision: 1 });
    assert.deepEqual(await tempFiles(directory), []);
    assert.deepEqual(await second.keys(''), ['survivor']);
    await second.close();
  });

  test('files in the directory that are not keys are not listed', async () => {
    const directory = freshDirectory();
    const store = createFileStore({ directory });
    await store.put('real.key', 1);
    await writeFile(join(directory, 'README with spaces.txt'), 'hello');
    assert.deepEqual(await store.keys(''), ['real.key']);
    await store.close();
  });
});
