import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import { loadSecrets } from '../../src/config/load-secrets.ts';

const files: Record<string, string> = { '/run/secrets/a': 'from-file\n', '/run/secrets/crlf': 'crlf\r\n', '/run/secrets/empty': '\n' };
const readFile = (path: string): string => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return content;
};

test('loadSecrets reads env variables and files, in order, without the trailing newline', () => {
  const secrets = loadSecrets(
    [{ fromEnv: 'GITHUB_WEBHOOK_SECRET' }, { fromFile: '/run/secrets/a' }, { fromFile: '/run/secrets/crlf' }],
    'github.secrets',
    { env: { GITHUB_WEBHOOK_SECRET: 'from-env' }, readFile },
  );
  assert.deepEqual(secrets, ['from-env', 'from-file', 'crlf']);
});

test('loadSecrets reports every problem with its field path', () => {
  assert.throws(
    () =>
      loadSecrets(
        [{ fromEnv: 'GITHUB_WEBHOOK_SECRET' }, { fromEnv: 'EMPTY' }, { fromFile: '/run/secrets/missing' }, { fromFile: '/run/secrets/empty' }],
        'github.secrets',
        { env: { EMPTY: '' }, readFile },
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

test('loadSecrets with options resolves relative files against the configuration directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbridge-secrets-'));
  writeFileSync(join(dir, 'webhook.secret'), 's3cret\n');
  assert.deepEqual(loadSecrets([{ fromFile: 'webhook.secret' }, { fromEnv: 'X' }], 'github.secrets', { env: { X: 'x' }, baseDir: dir }), ['s3cret', 'x']);
});

test('loadSecrets of no sources is an empty list (the route then refuses to start)', () => {
  assert.deepEqual(loadSecrets([], 'github.secrets', { env: {}, readFile }), []);
});
