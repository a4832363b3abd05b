// "Run now" over a real socket, through the daemon as `serve` wires it: bearer token, 404 for an
// unknown run configuration, 422 for an undeclared parameter, Idempotency-Key retries, and no
// route at all without a configured token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { RUNS_PATH, startRunNowDaemon, TOKEN } from './run-now-daemon.ts';

let dir: string;
const daemons: Daemon[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbridge-run-now-'));
});
after(async () => {
  for (const d of daemons) await d.shutdown('test over');
  await rm(dir, { recursive: true, force: true });
});

async function daemon(name: string, api: object | undefined): Promise<{ url: string; runsDir: string }> {
  const started = await startRunNowDaemon(join(dir, name), api);
  daemons.push(started.daemon);
  return started;
}

async function runFiles(runsDir: string): Promise<string[]> {
  try {
    return (await readdir(runsDir, { recursive: true })).filter((f) => String(f).endsWith('.yaml')).map(String).sort();
  } catch {
    return [];
  }
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string }; run?: { name: string; kind: string; namespace: string; created: boolean } };
}

async function post(url: string, path: string, options: { token?: string | null; authorization?: string; body?: unknown; rawBody?: string; contentType?: string; key?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (options.authorization !== undefined) headers['authorization'] = options.authorization;
  else if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${url}${path}`, { method: 'POST', headers, ...(body !== undefined ? { body } : {}) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const RUNS = RUNS_PATH;

describe('POST /api/v1/run-configurations/{namespace}/{name}/runs', () => {
  let url: string;
  let runsDir: string;
  before(async () => {
    ({ url, runsDir } = await daemon('with-token', { token: { fromEnv: 'RUNBRIDGE_API_TOKEN' } }));
  });

  test('201 with the run created, parameters overridden', async () => {
    const answer = await post(url, RUNS, { body: { params: { epochs: '25' } } });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.run?.kind, 'CustomRun');
    assert.equal(answer.body.run?.namespace, 'ml');
    assert.equal(answer.body.run?.created, true);
    assert.match(String(answer.body['eventId']), /^manual-[0-9a-f-]{36}$/);
    assert.equal(answer.body['eventType'], 'runbridge.manual.run');
    const file = (await runFiles(runsDir)).find((f) => f.includes(answer.body.run!.name));
    assert.ok(file, 'the run was written');
    const run = parse(await readFile(join(runsDir, file), 'utf8')) as { spec: { params: { name: string; value: string }[] }; metadata: { labels: Record<string, string> } };
    assert.deepEqual(run.spec.params, [{ name: 'epochs', value: '25' }]);
    assert.equal(run.metadata.labels['runbridge.dev/trigger'], 'manual');
  });

  test('without a body: the declared parameters as configured', async () => {
    const answer = await post(url, RUNS);
    assert.equal(answer.status, 201);
  });

  const unauthorized: [string, { token?: string | null; authorization?: string }][] = [
    ['no Authorization header', { token: null }],
    ['a wrong token', { token: 'run-now-token-8d1e' }],
    ['the token with a suffix', { token: `${TOKEN}x` }],
    ['a prefix of the token', { token: TOKEN.slice(0, -1) }],
    ['Basic instead of Bearer', { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }],
    ['Bearer without a token', { authorization: 'Bearer ' }],
  ];
  for (const [name, auth] of unauthorized) {
    test(`401 with ${name}, and no run`, async () => {
      const before = await runFiles(runsDir);
      const answer = await post(url, RUNS, { ...auth, body: { params: { epochs: '1' } } });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error?.code, 'RB_UNAUTHORIZED');
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.deepEqual(await runFiles(runsDir), before);
    });
  }

  test('401 comes before 404: an unknown run configuration is not revealed without the token', async () => {
    const answer = await post(url, '/api/v1/run-configurations/ml/nope/runs', { token: 'wrong' });
    assert.equal(answer.status, 401);
  });

  test('404 for a run configuration that does not exist', async () => {
    const answer = await post(url, '/api/v1/run-configurations/ml/nope/runs');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error?.code, 'RB_NOT_FOUND');
    assert.match(answer.body.error?.message ?? '', /no run configuration ml\/nope/);
  });

  test('422 for a parameter the run configuration does not declare', async () => {
    const before = await runFiles(runsDir);
    const answer = await post(url, RUNS, { body: { params: { learningRate: '0.1' } } });
    assert.equal(answer.status, 422);
    const runs = answer.body['runs'] as { error: { code: string; message: string } }[];
    assert.equal(runs[0]?.error.code, 'RB_PARAMETER');
    assert.match(runs[0]?.error.message ?? '', /declares no parameter "learningRate"/);
    assert.deepEqual(await runFiles(runsDir), before);
  });

  test('Idempotency-Key: a retried request answers with the run it created, no second run', async () => {
    const before = (await runFiles(runsDir)).length;
    const first = await post(url, RUNS, { key: 'nightly-2026-01-10', body: { params: { epochs: '3' } } });
    const retry = await post(url, RUNS, { key: 'nightly-2026-01-10', body: { params: { epochs: '3' } } });
    assert.equal(first.status, 201);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.run?.created, false);
    assert.equal(retry.body.run?.name, first.body.run?.name);
    assert.equal(first.body['eventId'], 'manual-nightly-2026-01-10');
    assert.equal((await runFiles(runsDir)).length, before + 1);
  });

  test('without Idempotency-Key every request is a new run', async () => {
    const a = await post(url, RUNS);
    const b = await post(url, RUNS);
    assert.notEqual(a.body.run?.name, b.body.run?.name);
  });

  const malformed: [string, Parameters<typeof post>[2], number, RegExp][] = [
    ['a number as a parameter value', { body: { params: { epochs: 20 } } }, 400, /params\.epochs/],
    ['an unknown body field', { body: { parameters: { epochs: '20' } } }, 400, /invalid request body/],
    ['a body that is not JSON', { rawBody: '{"params":', contentType: 'application/json' }, 400, /could not be parsed/],
    ['a text body', { rawBody: 'epochs=20', contentType: 'text/plain' }, 415, /unsupported content type/],
    ['a malformed Idempotency-Key', { key: 'has spaces in it' }, 400, /Idempotency-Key/],
  ];
  for (const [name, options, status, message] of malformed) {
    test(`${status} for ${name}`, async () => {
      const answer = await post(url, RUNS, options);
      assert.equal(answer.status, status);
      assert.match(answer.body.error?.message ?? '', message);
    });
  }

  test('other methods: 405', async () => {
    const response = await fetch(`${url}${RUNS}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

test('without api.token the route does not exist', async () => {
  const { url } = await daemon('without-token', undefined);
  const answer = await post(url, RUNS);
  assert.equal(answer.status, 404);
  assert.match(answer.body.error?.message ?? '', /no route for POST/);
});

test('a configured token that cannot be loaded stops the start, naming api.token', async () => {
  const text = stringify({ apiVersion: 'runbridge.dev/v1alpha1', kind: 'Config', api: { token: { fromEnv: 'NOT_SET_ANYWHERE' } } });
  const loaded = await loadConfigText(text, { baseDir: dir, fileName: 'missing-token.yaml', env: {} });
  await assert.rejects(startDaemon(loaded, { logger: pino({ level: 'silent' }), env: {}, port: 0, internalPort: 0 }), /api\.token\.fromEnv: environment variable NOT_SET_ANYWHERE is not set/);
});
