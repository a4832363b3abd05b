// runbridge against a real nats-server whose authorization block holds a password user and an
// nkey user, one with a token, one with TLS client certificates: the right credentials connect, none or wrong ones fail start-up with an error that
// names the server and never a credential; a credential written into a server URL is refused; a remote server without credentials
// is warned about before connecting.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
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

const PASSWORD = 'correct-horse-battery-staple';
const nkeyUser = nkeys.createUser();
const seed = new TextDecoder().decode(nkeyUser.getSeed());

const scratch = await mkdtemp(join(tmpdir(), 'runbridge-nats-auth-'));
after(() => rm(scratch, { recursive: true, force: true }));
const configFile = join(scratch, 'auth.conf');
await writeFile(
  configFile,
  `authorization {\n  users = [\n    { user: runbridge, password: "${PASSWORD}" }\n    { nkey: ${nkeyUser.getPublicKey()} }\n  ]\n}\n`,
);

function recordingLogger(): NatsLogger & { lines: string[] } {
  const lines: string[] = [];
  const record = (fields: object, message: string): void => void lines.push(`${message} ${JSON.stringify(fields)}`);
  return { lines, info: record, warn: record, error: record };
}

function failsRedacted(secret: string | undefined, url: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof RunbridgeError, String(error));
    assert.equal(error.code, 'RB_NATS_CONNECT');
    assert.match(error.message, /cannot connect to NATS at .*127\.0\.0\.1.*: .*authorization violation/i);
    assert.ok(error.message.includes(url), error.message);
    if (secret !== undefined) assert.ok(!error.message.includes(secret), error.message);
    return true;
  };
}

describe('NATS with user/password and nkey users', async () => {
  const server = await startNatsServer({ jetstream: false, extraArgs: ['-c', configFile] });
  after(() => server.stop());
  const base: NatsConnectionConfig = { servers: [server.url], name: 'runbridge-test' };

  test('user and password connect, and no warning is logged for a loopback server', async () => {
    const logger = recordingLogger();
    const handle = await connectNats({ ...base, user: 'runbridge', password: { fromEnv: 'NATS_PASSWORD' } }, { logger, env: { NATS_PASSWORD: PASSWORD } });
    assert.equal(handle.connected(), true);
    await handle.close();
    assert.ok(!logger.lines.some((l) => l.includes('without any credentials')), logger.lines.join('\n'));
  });

  test('an nkey seed connects', async () => {
    const handle = await connectNats({ ...base, nkeySeed: { fromEnv: 'NATS_NKEY' } }, { logger: recordingLogger(), env: { NATS_NKEY: seed } });
    assert.equal(handle.connected(), true);
    await handle.close();
  });

  test('attack: no credentials fail start-up with an authorization error naming the server', async () => {
    await assert.rejects(connectNats(base, { logger: recordingLogger() }), failsRedacted(undefined, server.url));
  });

  test('attack: credentials written into a server URL are refused at start with the field path, not printed', async () => {
    const url = `nats://runbridge:${PASSWORD}@127.0.0.1:${server.port}`;
    await assert.rejects(connectNats({ ...base, servers: [server.url, url] }, { logger: recordingLogger() }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.deepEqual(error.issues.map((i) => i.path), ['nats.servers[1]']);
      assert.match(error.message, /credentials in the URL are not used by the NATS client; use nats\.user and nats\.password/);
      assert.ok(!error.message.includes(PASSWORD), error.message);
      return true;
    });
  });
});

describe('NATS with a token', async () => {
  const TOKEN = 'nats-token-0123456789abcdef';
  const server = await startNatsServer({ jetstream: false, extraArgs: ['--auth', TOKEN] });
  after(() => server.stop());

  test('the token connects; attack: a guessed one fails start-up with an error that does not print it', async () => {
    const config: NatsConnectionConfig = { servers: [server.url], name: 'runbridge-test', token: { fromEnv: 'NATS_TOKEN' } };
    const handle = await connectNats(config, { logger: recordingLogger(), env: { NATS_TOKEN: TOKEN } });
    assert.equal(handle.connected(), true);
    await handle.close();
    await assert.rejects(connectNats(config, { logger: recordingLogger(), env: { NATS_TOKEN: `guessed-${TOKEN}` } }), failsRedacted(`guessed-${TOKEN}`, server.url));
  });
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=runbridge test CA', '-keyout', at('ca.key'), '-out', at('ca.pem'));
  // DNS:localhost as well as the IP: for a loopback server the client checks the name localhost.
  for (const [name, extension] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`));
    execFileSync('sh', ['-c', `printf '${extension}\n' > ${at(`${name}.ext`)}`]);
    openssl('x509', '-req', '-in', at(`${name}.csr`), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', at(`${name}.ext`), '-out', at(`${name}.pem`));
  }
  return { ca: at('ca.pem'), serverCert: at('server.pem'), serverKey: at('server.key'), clientCert: at('client.pem'), clientKey: at('client.key') };
}

describe('NATS over TLS with client certificates', async () => {
  const certs = makeCertificates(scratch);
  const server = await startNatsServer({
    jetstream: false,
    extraArgs: ['--tls', '--tlscert', certs.serverCert, '--tlskey', certs.serverKey, '--tlscacert', certs.ca, '--tlsverify'],
  });
  after(() => server.stop());
  const base: NatsConnectionConfig = { servers: [`tls://127.0.0.1:${server.port}`], name: 'runbridge-test' };

  test('the CA and a client certificate connect', async () => {
    const handle = await connectNats({ ...base, tls: { caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey } }, { logger: recordingLogger() });
    assert.equal(handle.connected(), true);
    await handle.close();
  });

  test('attack: without a client certificate the connection fails start-up', async () => {
    await assert.rejects(connectNats({ ...base, tls: { caFile: certs.ca } }, { logger: recordingLogger() }), (error: unknown) => {
      assert.ok(error instanceof RunbridgeError, String(error));
      assert.equal(error.code, 'RB_NATS_CONNECT');
      assert.match(error.message, /cannot connect to NATS at tls:\/\/127\.0\.0\.1/);
      return true;
    });
  });

  test('attack: a server whose certificate the configured CA did not sign is not trusted', async () => {
    await assert.rejects(connectNats({ ...base, tls: { certFile: certs.clientCert, keyFile: certs.clientKey } }, { logger: recordingLogger() }), (error: unknown) => {
      assert.ok(error instanceof RunbridgeError, String(error));
      assert.match(error.message, /certificate/i);
      return true;
    });
  });
});

describe('a NATS server that is not on this machine, without credentials', () => {
  const warningsFor = async (fields: Partial<NatsConnectionConfig>): Promise<string[]> => {
    const setup = await natsConnectionOptions({ servers: ['nats://nats.messaging.svc:4222'], name: 'runbridge', ...fields }, { env: { T: 'token' } });
    return setup.warnings.map((w) => `${w.path}: ${w.message}`);
  };

  test('is warned about loudly, naming the server and what to configure', async () => {
    const [warning, ...rest] = await warningsFor({});
    assert.deepEqual(rest, []);
    assert.match(warning ?? '', /^nats: connecting to NATS at nats:\/\/nats\.messaging\.svc:4222 without any credentials: anyone who can reach it can publish completions/);
    assert.match(warning ?? '', /protect the completion subject and the KV bucket with NATS permissions/);
  });

  test('is not warned about with a credential of any kind, or on loopback addresses', async () => {
    assert.deepEqual(await warningsFor({ token: { fromEnv: 'T' } }), []);
    for (const servers of [['nats://127.0.0.1:4222'], ['localhost:4222'], ['nats://[::1]:4222']]) {
      assert.deepEqual(await warningsFor({ servers }), [], servers.join());
    }
  });
});
