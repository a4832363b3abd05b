// Routes as values over a real socket: one listener from a list, answers written in one place,
// a delivery route's refusals counted there and logged once, other routes neither.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { SignatureError } from '../../src/errors.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { mountRoutes } from '../../src/server/mount-routes.ts';
import type { Route } from '../../src/server/route.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';

describe('mountRoutes', () => {
  const metrics = createMetrics({ version: 'test' });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/hooks/forge',
      source: 'forge',
      handle: async (req, delivery) => {
        delivery.eventId = 'd-1';
        if (req.headers['x-sign'] !== 'ok') throw new SignatureError('bad signature');
        delivery.runConfigurations = ['ml/trainer'];
        delivery.reason = '1 run created';
        return { status: 200, json: { eventId: 'd-1' } };
      },
    },
    { method: 'GET', path: '/hooks/forge', handle: async () => ({ status: 200, json: { about: 'forge' } }) },
    { method: 'GET', path: '/boom', handle: async () => assert.fail('an unexpected error') },
  ];
  let server: RunningServer;
  before(async () => {
    server = await startServer(mountRoutes(routes, { logger, metrics }), { host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  const rejected = async (): Promise<number> =>
    (await metrics.eventsRejected.get()).values.filter((v) => v.labels['source'] === 'forge' && v.labels['reason'] === 'signature').reduce((n, v) => n + v.value, 0);

  test('a refused delivery: its answer carries the id it learnt, it is counted once and logged once', async () => {
    const before = await rejected();
    const response = await fetch(`${server.url}/hooks/forge`, { method: 'POST' });
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: { code: 'RB_SIGNATURE', message: 'bad signature' }, eventId: 'd-1' });
    assert.equal((await rejected()) - before, 1);
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.filter((l) => l['source'] === 'forge' && l['status'] === 401);
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.['reason'], 'bad signature');
  });

  test('a dispatched delivery is not a rejection', async () => {
    const before = await rejected();
    const response = await fetch(`${server.url}/hooks/forge`, { method: 'POST', headers: { 'x-sign': 'ok' } });
    assert.equal(response.status, 200);
    assert.equal(await rejected(), before);
  });

  test('every method a path serves is in the Allow header of a 405 (GET brings HEAD)', async () => {
    const response = await fetch(`${server.url}/hooks/forge`, { method: 'PUT' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST, GET, HEAD');
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'RB_METHOD_NOT_ALLOWED');
  });

  test('a route that is not a delivery is not logged per request; its unexpected error is a bare 500, logged', async () => {
    const count = lines.length;
    assert.equal((await fetch(`${server.url}/hooks/forge`)).status, 200);
    const response = await fetch(`${server.url}/boom`);
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: { code: 'RB_INTERNAL', message: 'internal error' } });
    const added = lines.slice(count);
    assert.deepEqual(added.map((l) => l['msg']), ['request failed']);
  });
});
