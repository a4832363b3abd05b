import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { Counter, Registry } from 'prom-client';
import { createApp } from '../../src/server/create-app.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';

const quiet = pino({ level: 'silent' });

describe('createApp routes over a real socket', () => {
  let server: RunningServer;
  let ready = true;
  before(async () => {
    const registry = new Registry();
    new Counter({ name: 'runbridge_test_total', help: 'a counter for the test', registers: [registry] }).inc(3);
    const app = createApp({
      readiness: () => (ready ? { ready: true, reasons: [] } : { ready: false, reasons: ['sink kubernetes is not ready'] }),
      metricsRegistry: registry,
      logger: quiet,
      routes: [{ method: 'POST', path: '/runs', handle: async () => ({ status: 202, json: { extra: true } }) }],
    });
    server = await startServer(app, { host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  const cases: { name: string; method?: string; path: string; status: number; body?: unknown; code?: string; allow?: string }[] = [
    { name: 'liveness', path: '/healthz', status: 200, body: { ok: true } },
    { name: 'readiness when ready', path: '/readyz', status: 200, body: { ready: true } },
    { name: 'POST on /healthz', method: 'POST', path: '/healthz', status: 405, code: 'RB_METHOD_NOT_ALLOWED', allow: 'GET, HEAD' },
    { name: 'unknown path', path: '/nope', status: 404, code: 'RB_NOT_FOUND' },
    { name: 'no GitHub route unless configured', method: 'POST', path: '/webhooks/github', status: 404, code: 'RB_NOT_FOUND' },
    { name: 'extra route', method: 'POST', path: '/runs', status: 202, body: { extra: true } },
  ];
  for (const c of cases) {
    test(`${c.method ?? 'GET'} ${c.path} (${c.name}) → ${c.status}`, async () => {
      const response = await fetch(server.url + c.path, { method: c.method ?? 'GET' });
      assert.equal(response.status, c.status);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(response.headers.get('x-powered-by'), null);
      const body = (await response.json()) as { error?: { code: string } };
      if (c.body !== undefined) assert.deepEqual(body, c.body);
      if (c.code !== undefined) assert.equal(body.error?.code, c.code);
      if (c.allow !== undefined) assert.equal(response.headers.get('allow'), c.allow);
    });
  }

  test('readiness when not ready → 503 with the reasons', async () => {
    ready = false;
    try {
      const response = await fetch(`${server.url}/readyz`);
      assert.equal(response.status, 503);
      assert.deepEqual(await response.json(), { ready: false, reasons: ['sink kubernetes is not ready'] });
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'liveness does not depend on readiness');
    } finally {
      ready = true;
    }
  });

  test('/metrics serves the given registry in the Prometheus text format', async () => {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(await response.text(), /^runbridge_test_total 3$/m);
  });
});

describe('startServer', () => {
  test('port 0 picks a free port; close() stops listening', async () => {
    const app = createApp({ readiness: () => ({ ready: true, reasons: [] }), logger: quiet });
    const server = await startServer(app, { host: '127.0.0.1', port: 0 });
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    assert.equal((await fetch(`${server.url}/metrics`)).status, 404, 'no registry, no /metrics');
    await server.close();
    await assert.rejects(fetch(`${server.url}/healthz`));
  });

  test('a port in use is an error, not a hang', async () => {
    const app = createApp({ readiness: () => ({ ready: true, reasons: [] }), logger: quiet });
    const first = await startServer(app, { host: '127.0.0.1', port: 0 });
    try {
      await assert.rejects(startServer(app, { host: '127.0.0.1', port: first.port }), { code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
