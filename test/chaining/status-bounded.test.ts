// /status bounded in cost (docs/security.md): with thousands of run configurations a request reads
// one page or one run configuration, a burst of requests reads the state once, and status.token
// keeps it to whoever holds the token. `runbridge status` follows the pages.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildStatusReport } from '../../src/chaining/status/build-status-report.ts';
import type { StatusReport } from '../../src/chaining/status/status-report.ts';
import { statusRoute } from '../../src/chaining/status/status-route.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import type { CompiledRunConfiguration } from '../../src/config/loaded-config.ts';
import { createApp } from '../../src/server/create-app.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { bearerTokenCheck } from '../../src/sources/manual/bearer-token-check.ts';
import { rc, startHarness, type Harness } from './chaining-harness.ts';

const TOKEN = 'status-token-0123456789abcdef0123456789abcd';
const COUNT = 7;

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(args, { stdout, stderr, env });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('GET /status, paged, cached and behind a token', () => {
  let h: Harness;
  let server: RunningServer;
  let clock = 0;
  const reads: number[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  before(async () => {
    h = await startHarness(Array.from({ length: COUNT }, (_, i) => rc(`rc-${i}`, { triggers: { git: [{ repository: `acme/r${i}` }] } })));
    const route = statusRoute({
      runConfigurations: h.loaded.runConfigurations,
      report: (page: readonly CompiledRunConfiguration[]) => {
        reads.push(page.length);
        return buildStatusReport({ runConfigurations: page, store: h.store });
      },
      settings: { cacheSeconds: 2, defaultPageSize: 3, maxPageSize: 5 },
      authenticate: bearerTokenCheck(TOKEN),
      now: () => clock,
    });
    server = await startServer(createApp({ readiness: () => ({ ready: true, reasons: [] }), logger: pino({ level: 'silent' }), routes: [route] }), { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await h.close();
  });
  const get = async (query: string, headers: Record<string, string> = auth) => {
    const response = await fetch(`${server.url}/status${query}`, { headers });
    return { status: response.status, body: (await response.json()) as StatusReport & { error?: { code: string } } };
  };

  test('without the token, or with another: 401 and nothing read', async () => {
    const before = reads.length;
    assert.equal((await get('', {})).status, 401);
    assert.equal((await get('', { authorization: `Bearer ${'x'.repeat(40)}` })).status, 401);
    assert.equal(reads.length, before);
  });

  test('one page at a time: the default size, a cursor to the next, the total', async () => {
    clock += 10_000;
    const first = await get('');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.runConfigurations.map((r) => r.runConfiguration), ['ml/rc-0', 'ml/rc-1', 'ml/rc-2']);
    assert.equal(first.body.nextCursor, 'ml/rc-3');
    assert.equal(first.body.total, COUNT);
    const last = await get('?cursor=ml/rc-6&limit=5');
    assert.deepEqual(last.body.runConfigurations.map((r) => r.runConfiguration), ['ml/rc-6']);
    assert.equal(last.body.nextCursor, undefined);
    assert.equal((await get('?limit=1000')).body.runConfigurations.length, 5, 'a page never holds more than maxPageSize');
  });

  test('one run configuration: only it is read', async () => {
    clock += 10_000;
    const before = reads.length;
    const one = await get('?runConfiguration=ml/rc-4');
    assert.deepEqual(one.body.runConfigurations.map((r) => r.runConfiguration), ['ml/rc-4']);
    assert.deepEqual(reads.slice(before), [1]);
  });

  test('bad input is 400, an unknown name or cursor 404', async () => {
    assert.equal((await get('?limit=0')).status, 400);
    assert.equal((await get('?limit=abc')).status, 400);
    assert.equal((await get('?limit=1&limit=2')).status, 400);
    assert.equal((await get('?runConfiguration=ml/nope')).status, 404);
    assert.equal((await get('?cursor=ml/nope')).status, 404);
  });

  test('a burst of 50 requests within the cache time reads the state once; after it, again', async () => {
    clock += 10_000;
    const before = reads.length;
    const answers = await Promise.all(Array.from({ length: 50 }, () => get('?runConfiguration=ml/rc-2')));
    assert.ok(answers.every((a) => a.status === 200));
    assert.equal(reads.length - before, 1);
    clock += 2_001;
    await get('?runConfiguration=ml/rc-2');
    assert.equal(reads.length - before, 2);
  });

  test('runbridge status follows every page, with the token from RUNBRIDGE_STATUS_TOKEN', async () => {
    const { code, stdout, stderr } = await cli(['status', '--json', '--url', server.url], { RUNBRIDGE_STATUS_TOKEN: TOKEN });
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(stdout) as StatusReport).runConfigurations.map((r) => r.runConfiguration), Array.from({ length: COUNT }, (_, i) => `ml/rc-${i}`));
    const refused = await cli(['status', '--url', server.url]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /answered 401/);
    const one = await cli(['status', '--json', '--run-configuration', 'ml/rc-5', '--url', server.url], { RUNBRIDGE_STATUS_TOKEN: TOKEN });
    assert.deepEqual((JSON.parse(one.stdout) as StatusReport).runConfigurations.map((r) => r.runConfiguration), ['ml/rc-5']);
  });
});
