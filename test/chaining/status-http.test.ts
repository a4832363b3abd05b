import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { buildStatusReport } from '../../src/chaining/status/build-status-report.ts';
import type { StatusReport } from '../../src/chaining/status/status-report.ts';
import { statusRoute } from '../../src/chaining/status/status-route.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import { createApp } from '../../src/server/create-app.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { completionEvent, rc, ref, startHarness, type Harness } from './chaining-harness.ts';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(args, { stdout, stderr, env: {} });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('GET /status over HTTP, and runbridge status', () => {
  let h: Harness;
  let server: RunningServer;
  before(async () => {
    h = await startHarness([
      rc('train', { artifacts: [{ name: 'model', path: 'Trainer:model' }], triggers: { git: [{ repository: 'acme/ml', branches: ['main'], paths: ['pipelines/**'] }], schedules: [{ cron: '0 3 * * *', timezone: 'Europe/London' }] } }),
      rc('evaluate', { artifacts: [{ name: 'blessing', path: 'Evaluator:blessing' }], triggers: { runConfigurations: ['train'] } }),
      rc('deploy', {
        parameters: [
          { name: 'model', ...ref('train', 'model') },
          { name: 'blessing', ...ref('evaluate', 'blessing') },
        ],
        triggers: { runConfigurations: ['train', 'evaluate'], upstream: { mode: 'all' } },
      }),
    ]);
    await h.handleCompletion(completionEvent({ runConfigurationName: 'ml/train', runId: 't1', runEndTime: '2026-01-15T12:00:00Z', artifacts: [{ name: 'model', location: 'gs://m/1' }] }, { id: 'ev-train' }));
    const app = createApp({
      readiness: () => ({ ready: true, reasons: [] }),
      logger: pino({ level: 'silent' }),
      routes: [
        statusRoute({
          runConfigurations: h.loaded.runConfigurations,
          report: (runConfigurations) => buildStatusReport({ runConfigurations, store: h.store }),
          settings: { cacheSeconds: 0, defaultPageSize: 100, maxPageSize: 500 },
        }),
      ],
    });
    server = await startServer(app, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server.close();
    await h.close();
  });

  test('GET /status answers the report as JSON', async () => {
    const response = await fetch(`${server.url}/status`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const report = (await response.json()) as StatusReport;
    const byKey = new Map(report.runConfigurations.map((s) => [s.runConfiguration, s]));
    assert.deepEqual([...byKey.keys()], ['ml/train', 'ml/evaluate', 'ml/deploy']);

    const train = byKey.get('ml/train');
    assert.deepEqual(train?.triggers, { git: ['push acme/ml branches=main paths=pipelines/**'], schedules: ['0 3 * * * Europe/London'], upstreams: [] });
    assert.deepEqual(train?.latest.succeeded?.artifacts, [{ name: 'model', location: 'gs://m/1' }]);

    const evaluate = byKey.get('ml/evaluate');
    assert.equal(evaluate?.lastFired?.eventId, 'nats:ev-train');
    assert.equal(evaluate?.lastFired?.trigger, 'upstream');
    assert.deepEqual(evaluate?.lastFired?.upstream, { runConfiguration: 'ml/train', run: 't1' });

    const deploy = byKey.get('ml/deploy');
    assert.deepEqual(deploy?.triggers.upstream, { mode: 'all', on: 'succeeded' });
    assert.deepEqual(deploy?.join, { ready: false, reason: 'join: waiting for ml/evaluate (no succeeded run yet)' });
    assert.deepEqual(deploy?.unresolved.map((d) => [d.parameter, d.reason]), [['blessing', 'ml/evaluate has no succeeded run yet']]);
    assert.deepEqual(deploy?.dependencies.find((d) => d.parameter === 'model')?.location, 'gs://m/1');
    assert.equal(deploy?.lastFired, undefined);
  });

  test('POST /status is not allowed', async () => {
    const response = await fetch(`${server.url}/status`, { method: 'POST' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
  });

  test('runbridge status --url prints the table and the reasons', async () => {
    const { code, stdout, stderr } = await cli(['status', '--url', server.url]);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const [header, ...lines] = stdout.split('\n');
    assert.match(header ?? '', /^RUN CONFIGURATION\s+TRIGGERS\s+LAST FIRED\s+LATEST ARTIFACTS \(SUCCEEDED\)\s+DEPENDENCIES$/);
    assert.ok(lines.some((l) => /^ml\/train\s+git: push acme\/ml branches=main paths=pipelines\/\*\*\s+never\s+t1 @ 2026-01-15T12:00:00Z\s+-$/.test(l)), stdout);
    assert.ok(lines.some((l) => /^\s+schedule: 0 3 \* \* \* Europe\/London\s+model=gs:\/\/m\/1$/.test(l)), stdout);
    assert.ok(lines.some((l) => /^ml\/deploy\s+upstream \(all, on succeeded\): ml\/train, ml\/evaluate\s+never\s+-\s+model ← ml\/train:model ok$/.test(l)), stdout);
    assert.ok(stdout.includes('Why not:\n'));
    assert.ok(stdout.includes('  ml/deploy: parameter "blessing": ml/evaluate has no succeeded run yet\n'));
    assert.ok(stdout.includes('  ml/deploy: join: waiting for ml/evaluate (no succeeded run yet)\n'));
  });

  test('runbridge status --json prints the report as it came', async () => {
    const { code, stdout } = await cli(['status', '--json', '--url', `${server.url}/`]);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as StatusReport).runConfigurations.length, 3);
  });

  test('runbridge status against nothing listening fails with the reason', async () => {
    const closed = await startServer(createApp({ readiness: () => ({ ready: true, reasons: [] }), logger: pino({ level: 'silent' }) }), { host: '127.0.0.1', port: 0 });
    await closed.close();
    const { code, stderr } = await cli(['status', '--url', closed.url]);
    assert.equal(code, 1);
    assert.match(stderr, /^runbridge status: cannot reach http:\/\/127\.0\.0\.1:\d+\/status: .*ECONNREFUSED/);
  });
});
