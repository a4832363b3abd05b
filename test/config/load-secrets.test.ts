import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import type { OpenSecretFile } from '../../src/secrets/read-secret-file.ts';
import { loadSecrets } from '../../src/config/load-secrets.ts';

const files: Record<string, string> = {
  '/run/secrets/a': 'from-file-0123456789\n',
  '/run/secrets/crlf': 'crlf-0123456789abcdef\r\n',
  '/run/secrets/empty': '\n',
};
const openFile: OpenSecretFile = (path) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return { text, mode: 0o100400 };
};

test('loadSecrets reads env variables and files, in order, without the trailing newline', () => {
  const loaded = loadSecrets(
    [{ fromEnv: 'GITHUB_WEBHOOK_SECRET' }, { fromFile: '/run/secrets/a' }, { fromFile: '/run/secrets/crlf' }], 'github.secrets',
    { env: { GITHUB_WEBHOOK_SECRET: 'from-env-0123456789' }, openFile },
  );
  assert.deepEqual(loaded, { secrets: ['from-env-0123456789', 'from-file-0123456789', 'crlf-0123456789abcdef'], warnings: [] });
});

test('loadSecrets reports every problem with its field path', () => {
  assert.throws(
    () =>
      loadSecrets(
        [{ fromEnv: 'GITHUB_WEBHOOK_SECRET' }, { fromEnv: 'EMPTY' }, { fromFile: '/run/secrets/missing' }, { fromFile: '/run/secrets/empty' }], 'github.secrets',
        { env: { EMPTY: '' }, openFile },
      ),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.issues, [
        { path: 'github.secrets[0].fromEnv', message: 'environment variable GITHUB_WEBHOOK_SECRET is not set' },
        { path: 'github.secrets[1].fromEnv', message: 'environment variable EMPTY is empty' },
        { path: 'github.secrets[2].fromFile', message: 'cannot read secret file /run/secrets/missing (ENOENT)' },
        { path: 'github.secrets[3].fromFile', message: 'secret file /run/secrets/empty is empty' },
      ]);
      assert.match(err.message, /github\.secrets\[0\]\.fromEnv: environment variable GITHUB_WEBHOOK_SECRET is not set/);
      return true;
    },
  );
});

test('loadSecrets resolves relative files against the configuration directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbridge-secrets-'));
  writeFileSync(join(dir, 'webhook.secret'), 's3cret-0123456789abcdef\n', { mode: 0o600 });
  const loaded = loadSecrets([{ fromFile: 'webhook.secret' }, { fromEnv: 'X' }], 'github.secrets', { env: { X: 'x-0123456789abcdef' }, baseDir: dir });
  assert.deepEqual(loaded.secrets, ['s3cret-0123456789abcdef', 'x-0123456789abcdef']);
});

test('loadSecrets of no sources is an empty list (the route then refuses to start)', () => {
  assert.deepEqual(loadSecrets([], 'github.secrets', { env: {}, openFile }), { secrets: [], warnings: [] });
});

test('attack: a 1-byte webhook secret is warned about at start, naming the field and not the secret', () => {
  const loaded = loadSecrets([{ fromEnv: 'S' }, { fromEnv: 'LONG' }], 'github.secrets', { env: { S: 'x', LONG: '0123456789abcdef' } });
  assert.deepEqual(loaded.secrets, ['x', '0123456789abcdef']);
  assert.equal(loaded.warnings.length, 1, JSON.stringify(loaded.warnings));
  assert.equal(loaded.warnings[0]?.path, 'github.secrets[0]');
  assert.match(loaded.warnings[0]?.message ?? '', /1 byte long; use at least 16 random bytes/);
});
