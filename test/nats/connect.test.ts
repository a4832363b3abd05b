// connectNats against real nats-servers with authentication turned on.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { nkeys } from '@nats-io/transport-node';
import type { NatsConnectionConfig } from '../../src/config/schema.ts';
import { ConfigError, RunbridgeError } from '../../src/errors.ts';
import { connectNats, type NatsLogger } from '../../src/nats/connect.ts';
import { natsConnectionOptions } from '../../src/nats/connection-options.ts';
import { startNatsServer } from '../support/nats-server.ts';

const quiet: NatsLogger = { info: () => {}, warn: () => {}, error: () => {} };
const base = (url: string): NatsConnectionConfig => ({ servers: [url], name: 'runbridge-test' });
const files = (contents: Record<string, string>) => async (path: string): Promise<Uint8Array> => {
  const text = contents[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  return new TextEncoder().encode(text);
};

const secretFiles = (contents: Record<string, string>) => (path: string): { text: string; mode: number } => {
  const text = contents[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  return { text, mode: 0o100600 };
};

const scratch = await mkdtemp(join(tmpdir(), 'runbridge-nats-connect-'));
after(() => rm(scratch, { recursive: true, force: true }));

describe('connectNats: token', async () => {
  const server = await startNatsServer({ jetstream: false, extraArgs: ['--auth', 's3cret-token'] });
  after(() => server.stop());

  test('a token from the environment connects; connected() follows close()', async () => {
    const handle = await connectNats(
      { ...base(server.url), token: { fromEnv: 'NATS_TOKEN' } },
      { logger: quiet, env: { NATS_TOKEN: 's3cret-token' } },
    );
    assert.equal(handle.connected(), true);
    assert.equal(handle.nc.info?.server_name, `runbridge-test-${server.port}`);
    await handle.close();
    assert.equal(handle.connected(), false);
    assert.equal(handle.nc.isClosed(), true);
    await handle.close();
  });

  test('a token from a file (trailing newline trimmed) connects', async () => {
    const tokenFile = join(scratch, 'nats-token');
    await writeFile(tokenFile, 's3cret-token\n', { mode: 0o600 });
    const handle = await connectNats({ ...base(server.url), token: { fromFile: tokenFile } }, { logger: quiet });
    assert.equal(handle.connected(), true);
    await handle.close();
  });

  test('a wrong token fails startup with a 503 RunbridgeError naming the server', async () => {
    await assert.rejects(
      connectNats({ ...base(server.url), token: { fromEnv: 'NATS_TOKEN' } }, { logger: quiet, env: { NATS_TOKEN: 'wrong' } }),
      (error: unknown) => {
        assert.ok(error instanceof RunbridgeError, String(error));
        assert.equal(error.code, 'RB_NATS_CONNECT');
        assert.equal(error.status, 503);
        assert.ok(error.message.includes(server.url), error.message);
        assert.match(error.message, /authorization/i);
        return true;
      },
    );
  });
});

describe('connectNats: user and password', async () => {
  const server = await startNatsServer({ jetstream: false, extraArgs: ['--user', 'runbridge', '--pass', 'pa55word'] });
  after(() => server.stop());

  test('user with a password from the environment connects, a wrong password does not', async () => {
    const config: NatsConnectionConfig = { ...base(server.url), user: 'runbridge', password: { fromEnv: 'NATS_PASSWORD' } };
    const handle = await connectNats(config, { logger: quiet, env: { NATS_PASSWORD: 'pa55word' } });
    assert.equal(handle.connected(), true);
    await handle.close();
    await assert.rejects(connectNats(config, { logger: quiet, env: { NATS_PASSWORD: 'nope' } }), { code: 'RB_NATS_CONNECT', status: 503 });
  });
});

describe('connectNats: nkey', async () => {
  const user = nkeys.createUser();
  const seed = new TextDecoder().decode(user.getSeed());
  const configFile = join(scratch, 'nkey.conf');
  await writeFile(configFile, `authorization { users = [ { nkey: "${user.getPublicKey()}" } ] }\n`);
  const server = await startNatsServer({ jetstream: false, extraArgs: ['-c', configFile] });
  after(() => server.stop());

  test('an nkey seed from the environment signs the nonce and connects', async () => {
    const handle = await connectNats({ ...base(server.url), nkeySeed: { fromEnv: 'NATS_NKEY' } }, { logger: quiet, env: { NATS_NKEY: seed } });
    assert.equal(handle.connected(), true);
    await handle.close();
  });

  test('another seed is refused', async () => {
    const stranger = new TextDecoder().decode(nkeys.createUser().getSeed());
    await assert.rejects(
      connectNats({ ...base(server.url), nkeySeed: { fromEnv: 'NATS_NKEY' } }, { logger: quiet, env: { NATS_NKEY: stranger } }),
      RunbridgeError,
    );
  });
});

describe('connectNats: reconnect', () => {
  test('status changes are logged, reported to onStatus and reflected in connected()', async () => {
    const server = await startNatsServer({ jetstream: false });
    const lines: string[] = [];
    const log = (level: string) => (_fields: object, message: string) => void lines.push(`${level}: ${message}`);
    const statuses: string[] = [];
    const handle = await connectNats(base(server.url), {
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      onStatus: (status) => statuses.push(status.type),
      reconnectTimeWaitMs: 100,
    });
    try {
      await server.shutdown();
      await until(() => !handle.connected());
      await server.start();
      await until(() => handle.connected());
      assert.ok(statuses.includes('disconnect') && statuses.includes('reconnect'), statuses.join(','));
      assert.ok(lines.includes('warn: disconnected from NATS; reconnecting'), lines.join('\n'));
      assert.ok(lines.includes('info: reconnected to NATS'), lines.join('\n'));
    } finally {
      await handle.close();
      await server.stop();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('natsConnectionOptions', () => {
  test('reconnects forever with jitter and passes servers and name', async () => {
    const { options } = await natsConnectionOptions(base('nats://a:4222'), { reconnectTimeWaitMs: 1_000 });
    assert.deepEqual(options.servers, ['nats://a:4222']);
    assert.equal(options.name, 'runbridge-test');
    assert.equal(options.maxReconnectAttempts, -1);
    assert.equal(options.reconnectTimeWait, 1_000);
    assert.ok((options.reconnectJitter ?? 0) > 0 && (options.reconnectJitterTLS ?? 0) > 0);
    assert.equal(options.noAsyncTraces, true, 'requests do not capture a stack each');
  });

  test('TLS files are read through readFile and passed as PEM text', async () => {
    const { options } = await natsConnectionOptions(
      { ...base('tls://a:4222'), tls: { caFile: '/tls/ca.pem', certFile: '/tls/tls.crt', keyFile: '/tls/tls.key' } },
      { readFile: files({ '/tls/ca.pem': 'CA PEM', '/tls/tls.crt': 'CERT PEM', '/tls/tls.key': 'KEY PEM' }) },
    );
    assert.deepEqual(options.tls, { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' });
  });

  test('an empty tls section still asks for TLS', async () => {
    const { options } = await natsConnectionOptions({ ...base('tls://a:4222'), tls: {} });
    assert.deepEqual(options.tls, {});
  });

  const invalid: Array<[string, Partial<NatsConnectionConfig>, Array<{ path: string; message: RegExp }>]> = [
    ['token variable unset', { token: { fromEnv: 'NATS_TOKEN' } }, [{ path: 'nats.token.fromEnv', message: /NATS_TOKEN is not set/ }]],
    ['password file missing', { user: 'u', password: { fromFile: '/nope' } }, [{ path: 'nats.password.fromFile', message: /cannot read secret file \/nope \(ENOENT\)/ }]],
    ['empty secret file', { nkeySeed: { fromFile: '/empty' } }, [{ path: 'nats.nkeySeed.fromFile', message: /is empty/ }]],
    ['credentials file missing', { credentialsFile: '/creds' }, [{ path: 'nats.credentialsFile', message: /cannot read \/creds/ }]],
    ['CA file missing', { tls: { caFile: '/ca.pem' } }, [{ path: 'nats.tls.caFile', message: /cannot read \/ca.pem/ }]],
    [
      'two authentication methods and a password without user',
      { token: { fromEnv: 'T' }, password: { fromEnv: 'P' } },
      [
        { path: 'nats', message: /one authentication method, not token and user\/password/ },
        { path: 'nats.user', message: /password is set but user is not/ },
      ],
    ],
    ['client certificate without key', { tls: { certFile: '/tls.crt' } }, [{ path: 'nats.tls', message: /certFile and keyFile go together/ }]],
  ];
  for (const [label, fields, expected] of invalid) {
    test(`configuration error: ${label}`, async () => {
      await assert.rejects(
        natsConnectionOptions({ ...base('nats://a:4222'), ...fields } as NatsConnectionConfig, { env: {}, readFile: files({}), openSecretFile: secretFiles({ '/empty': '\n' }) }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, String(error));
          assert.equal(error.issues.length, expected.length, JSON.stringify(error.issues));
          expected.forEach((issue, i) => {
            assert.equal(error.issues[i]?.path, issue.path);
            assert.match(error.issues[i]?.message ?? '', issue.message);
          });
          return true;
        },
      );
    });
  }
});
