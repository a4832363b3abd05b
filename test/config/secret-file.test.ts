// The one secret-file reader, through each loader that uses it, on real files with real modes.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import { natsConnectionOptions } from '../../src/nats/connection-options.ts';
import { loadSecrets } from '../../src/config/load-secrets.ts';
import { loadApiToken } from '../../src/sources/manual/load-api-token.ts';

const scratch = await mkdtemp(join(tmpdir(), 'runbridge-secret-file-'));
after(() => rm(scratch, { recursive: true, force: true }));

const SECRET = 'a-secret-of-more-than-thirty-two-characters-0123456789';

async function secretFile(name: string, mode: number): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, `${SECRET}\n`);
  await chmod(file, mode); // after writing: the umask does not apply to chmod
  return file;
}

/** The three loaders of secrets, each given a `{fromFile}` source. */
const loaders: Array<[string, string, (file: string) => Promise<{ value: string; warnings: readonly { path: string; message: string }[] }>]> = [
  [
    'webhook secret',
    'github.secrets[0].fromFile',
    async (file) => {
      const loaded = loadSecrets([{ fromFile: file }], 'github.secrets');
      return { value: loaded.secrets[0] ?? '', warnings: loaded.warnings };
    },
  ],
  ['API token', 'api.token.fromFile', async (file) => loadApiToken({ fromFile: file })],
  [
    'NATS token',
    'nats.token.fromFile',
    async (file) => {
      const setup = await natsConnectionOptions({ servers: ['nats://127.0.0.1:4222'], name: 'runbridge', token: { fromFile: file } });
      return { value: String(setup.options.token), warnings: setup.warnings };
    },
  ],
];

for (const [label, path, load] of loaders) {
  describe(`${label} from a file`, () => {
    test('attack: a world-writable file (anyone on the host could swap the secret) is refused, naming the field and not the secret', async () => {
      const file = await secretFile(`${label}-writable`, 0o666);
      await assert.rejects(load(file), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.equal(error.issues[0]?.path, path);
        assert.match(error.message, /is writable by every user \(mode 0666\)/);
        assert.ok(!error.message.includes(SECRET), error.message);
        return true;
      });
    });

    test('a world-readable file is read, with a warning at its field', async () => {
      const file = await secretFile(`${label}-readable`, 0o644);
      const loaded = await load(file);
      assert.equal(loaded.value, SECRET);
      assert.deepEqual(loaded.warnings.map((w) => w.path), [path]);
      assert.match(loaded.warnings[0]?.message ?? '', /readable by every user \(mode 0644\); make it 0400 or 0440/);
    });

    test('a file only its owner (and group) can read is read without a warning', async () => {
      const file = await secretFile(`${label}-private`, 0o440);
      assert.deepEqual(await load(file), { value: SECRET, warnings: [] });
    });
  });
}

test('attack: a short API token is refused at load, naming the field and not the token', () => {
  assert.throws(
    () => loadApiToken({ fromEnv: 'API_TOKEN' }, { env: { API_TOKEN: 'hunter2' } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.issues.map((i) => i.path), ['api.token.fromEnv']);
      assert.match(error.message, /7 characters long; it must have at least 32/);
      assert.ok(!error.message.includes('hunter2'));
      return true;
    },
  );
});
