import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { stateSchema } from '../../src/config/schema.ts';
import { ConfigError } from '../../src/errors.ts';
import { createStateStore } from '../../src/state/create-store.ts';

const root = await mkdtemp(join(tmpdir(), 'runbridge-create-store-'));
after(() => rm(root, { recursive: true, force: true }));

test('the default state section gives a file store under the base directory', async () => {
  const store = await createStateStore(stateSchema.parse({ type: 'file' }), { baseDir: root });
  await store.put('hello', 'world');
  await store.close();
  const journal = await readFile(join(root, '.runbridge', 'state', 'journal@000001'), 'utf8');
  assert.match(journal, /^#\d+ [0-9a-f]{8}\n\{"key":"hello","revision":1,"value":"world"\}\n$/);
});

test('an absolute directory is used as it is', async () => {
  const directory = join(root, 'absolute');
  const store = await createStateStore({ type: 'file', directory, dedupeRetentionHours: 168 }, { baseDir: '/elsewhere' });
  await store.put('k', 1);
  await store.close();
  assert.ok((await readFile(join(directory, 'journal@000001'), 'utf8')).includes('{"key":"k","revision":1,"value":1}'));
});

test('type nats without a NATS connection is a ConfigError at state.type', async () => {
  await assert.rejects(createStateStore({ type: 'nats', bucket: 'runbridge', replicas: 3, dedupeRetentionHours: 168 }, { baseDir: root }), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.deepEqual(error.issues, [{ path: 'state.type', message: 'nats needs a top-level nats connection' }]);
    assert.match(error.message, /state\.type: nats needs a top-level nats connection/);
    return true;
  });
});
