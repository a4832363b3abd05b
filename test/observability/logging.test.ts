/**
 * runbridge's log: JSON lines with constant keys; every line about an event carries its id and
 * source, and the run configuration where it is about one; secrets and signatures never appear,
 * whatever the level; LOG_LEVEL overrides the configured level and a wrong value stops the start
 * with a message.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { stringify } from 'yaml';
import { createLogger } from '../../src/observability/create-logger.ts';
import { LogKeys } from '../../src/observability/log-keys.ts';
import { logLevelFromEnv } from '../../src/observability/log-level.ts';
import { WEBHOOK_SECRET, fixture, sign, startDaemonHarness, testConfig, type DaemonHarness } from './daemon-harness.ts';
import { startServe } from '../shutdown/serve-process.ts';

describe('the log of real deliveries (trace level)', () => {
  let harness: DaemonHarness;
  const push = fixture('push.json');
  const signatures: string[] = [];

  before(async () => {
    harness = await startDaemonHarness();
    const good = await sign(push);
    const wrong = await sign(push, 'an-attacker-guess');
    signatures.push(good, wrong);
    const answers = [
      await harness.deliver({ event: 'push', deliveryId: 'log-created', body: push, signature: good }),
      await harness.deliver({ event: 'push', deliveryId: 'log-created', body: push, signature: good }),
      await harness.deliver({ event: 'push', deliveryId: 'log-forged', body: push, signature: wrong }),
      await harness.deliver({ event: 'pull_request', deliveryId: 'log-no-match', body: fixture('pull-request-opened.json') }),
      await harness.deliver({ event: 'push', deliveryId: 'log-malformed', body: '{"ref": ', signature: await sign('{"ref": ') }),
    ];
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 401, 200, 400]);
  });
  after(() => harness.close());

  test('is JSON, one object a line, with level, ISO time, service and message', () => {
    const lines = harness.rawLog().split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 8, `only ${lines.length} lines`);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.match(String(entry['level']), /^(trace|debug|info|warn|error|fatal)$/);
      assert.ok(!Number.isNaN(Date.parse(String(entry['time']))) && String(entry['time']).endsWith('Z'), line);
      assert.equal(entry['service'], 'runbridge');
      assert.equal(typeof entry['msg'], 'string');
    }
  });

  test('never contains the webhook secret or a signature, in any form', () => {
    const log = harness.rawLog();
    assert.ok(log.includes('log-created'), 'the log was captured');
    const forbidden = [WEBHOOK_SECRET, ...signatures, ...signatures.map((s) => s.replace(/^sha256=/, ''))];
    for (const value of forbidden) assert.equal(log.includes(value), false, `the log contains ${value}`);
    assert.equal(/sha256=[0-9a-f]{16}/.test(log), false);
  });

  test('every line about an event carries its id and source', () => {
    const eventLines = harness.logs().filter((l) => l[LogKeys.eventId] !== undefined);
    const ids = new Set(eventLines.map((l) => l[LogKeys.eventId]));
    assert.deepEqual([...ids].sort(), ['log-created', 'log-forged', 'log-malformed', 'log-no-match']);
    for (const line of eventLines) assert.equal(line[LogKeys.source], 'github', JSON.stringify(line));
  });

  test('lines about a run configuration carry it, as namespace/name', () => {
    const created = harness.logs().filter((l) => l['msg'] === 'run created');
    assert.equal(created.length, 1);
    assert.equal(created[0]![LogKeys.runConfiguration], 'ml/trainer');
    assert.equal(created[0]![LogKeys.eventId], 'log-created');
    const duplicate = harness.logs().find((l) => String(l['msg']).startsWith('duplicate event'));
    assert.equal(duplicate?.[LogKeys.runConfiguration], 'ml/trainer');
    const deliveries = harness.logs().filter((l) => l['msg'] === 'delivery handled' && l[LogKeys.eventId] === 'log-created');
    assert.equal(deliveries.length, 2);
    for (const line of deliveries) assert.deepEqual(line[LogKeys.runConfiguration], ['ml/trainer']);
  });

  test('one line per delivery with its answer and, for a rejection, why', () => {
    const deliveryLines = harness.logs().filter((l) => /^delivery (handled|rejected|failed)$/.test(String(l['msg'])));
    assert.deepEqual(
      deliveryLines.map((l) => [l[LogKeys.eventId], l[LogKeys.status], l['level']]),
      [
        ['log-created', 200, 'info'],
        ['log-created', 200, 'info'],
        ['log-forged', 401, 'warn'],
        ['log-no-match', 200, 'info'],
        ['log-malformed', 400, 'warn'],
      ],
    );
    const forged = deliveryLines.find((l) => l[LogKeys.eventId] === 'log-forged');
    assert.match(String(forged?.[LogKeys.reason]), /X-Hub-Signature-256 does not match/);
    const skipped = harness.logs().find((l) => l[LogKeys.eventId] === 'log-no-match' && Array.isArray(l['skipped']));
    assert.ok(skipped, 'the non-match is logged with its reasons');
  });
});

describe('redaction by the logger itself', () => {
  const SECRET = 'S3CR3T-value-never-logged';
  const capture = (write: (logger: ReturnType<typeof createLogger>) => void): string => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    write(createLogger({ level: 'trace', destination }));
    return chunks.join('');
  };
  const cases: [string, object][] = [
    ['a secret', { secret: SECRET }],
    ['the github secrets of a config', { github: { secrets: [SECRET] } }],
    ['a config logged whole', { config: { nats: { token: SECRET, password: SECRET, nkeySeed: SECRET } } }],
    ['an api token', { api: { token: { value: SECRET } } }],
    ['request headers', { req: { headers: { 'x-hub-signature-256': SECRET, 'x-hub-signature': SECRET, authorization: SECRET, cookie: SECRET } } }],
    ['bare headers', { headers: { 'x-hub-signature-256': SECRET, authorization: `Bearer ${SECRET}` } }],
    ['headers one level down', { request: { context: { headers: { 'x-gitlab-token': SECRET } } } }],
    ['an error carrying a secret field', { err: Object.assign(new Error('boom'), { secret: SECRET }) }],
    ['credentials', { nats: { credentials: SECRET } }],
  ];
  for (const [name, object] of cases) {
    test(name, () => {
      const line = capture((logger) => logger.info(object, 'something happened'));
      assert.ok(line.includes('something happened'));
      assert.equal(line.includes(SECRET), false, line);
      assert.ok(line.includes('[redacted]'), line);
    });
  }

  test('child loggers redact their bindings too', () => {
    const line = capture((logger) => logger.child({ token: SECRET }).warn('x'));
    assert.equal(line.includes(SECRET), false, line);
  });
});

describe('LOG_LEVEL', () => {
  const table: [string | undefined, string | undefined][] = [
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['debug', 'debug'],
    ['DEBUG', 'debug'],
    [' Warn ', 'warn'],
    ['fatal', 'fatal'],
  ];
  for (const [value, level] of table) {
    test(`${JSON.stringify(value)} → ${level}`, () => assert.equal(logLevelFromEnv(value), level));
  }
  for (const bad of ['verbose', 'silent', 'info,debug', '10']) {
    test(`${JSON.stringify(bad)} is refused with the accepted levels`, () => {
      assert.throws(() => logLevelFromEnv(bad), /LOG_LEVEL must be one of trace, debug, info, warn, error, fatal/);
    });
  }

  let dir: string;
  let configFile: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbridge-log-level-'));
    configFile = join(dir, 'runbridge.yaml');
    await writeFile(configFile, stringify({ ...testConfig(), log: { level: 'error' } }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('serve stops with exit 2 and a message (no stack trace) for an unknown level', { timeout: 60_000 }, () => {
    const cli = resolve(import.meta.dirname, '../../src/cli.ts');
    const result = spawnSync(process.execPath, [cli, 'serve', '--config', configFile, '--port', '0', '--internal-port', '0'], {
      env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'verbose', RB_TEST_WEBHOOK_SECRET: WEBHOOK_SECRET },
      encoding: 'utf8',
      timeout: 55_000,
    });
    assert.equal(result.status, 2);
    assert.equal(result.stderr, 'runbridge serve: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal; got "verbose"\n');
  });

  test('serve logs at the LOG_LEVEL given, over the configured level', { timeout: 120_000 }, async () => {
    const rb = await startServe(configFile, { LOG_LEVEL: 'INFO', RB_TEST_WEBHOOK_SECRET: WEBHOOK_SECRET });
    rb.kill('SIGTERM');
    const exit = await rb.exited();
    assert.equal(exit.code, 0);
    // log.level is error in the file: these info lines are there because LOG_LEVEL says info.
    assert.ok(rb.lines.some((l) => l['msg'] === 'runbridge is serving' && l['level'] === 'info'));
    assert.ok(rb.lines.some((l) => l['msg'] === 'runbridge stopped'));
  });
});
