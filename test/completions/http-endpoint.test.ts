// The HTTP CloudEvents completion endpoint over a real socket.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HTTP, CloudEvent } from 'cloudevents';
import { createApp } from '../../src/server/create-app.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { completionRoute } from '../../src/sources/completions/create-completion-route.ts';
import { binaryHeaders, completionData, EXPECTED_COMPLETION, RUN_COMPLETION, structuredEnvelope } from './fixtures.ts';
import { captureLogger, COMPLETION_TOKEN, completionAuth, recordingHandler, rejectedCount, testMetrics } from './harness.ts';

describe('POST /events', () => {
  const handler = recordingHandler((event) => ({ status: 200, body: { outcome: 'dispatched', eventId: event.id } }));
  const metrics = testMetrics();
  const { logger, lines } = captureLogger();
  let ready = true;
  let server: RunningServer;
  before(async () => {
    const readiness = () => (ready ? { ready: true, reasons: [] } : { ready: false, reasons: ['NATS is disconnected; reconnecting'] });
    const app = createApp({
      readiness,
      logger,
      routes: [completionRoute({ path: '/events', bodyLimitBytes: 4096, ...completionAuth(), handle: handler.handle, readiness, logger, metrics })],
    });
    server = await startServer(app, { host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  const post = (headers: Record<string, string>, body: string) => fetch(`${server.url}/events`, { method: 'POST', headers: { authorization: `Bearer ${COMPLETION_TOKEN}`, ...headers }, body });

  test('structured mode (the cloudevents package as sender) → 200 with the outcome', async () => {
    const event = new CloudEvent({ id: 'h-1', source: 'kfp-operator/vertex', type: RUN_COMPLETION, data: completionData() });
    const message = HTTP.structured(event);
    const response = await post(message.headers as Record<string, string>, String(message.body));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { eventId: 'h-1', outcome: { outcome: 'dispatched', eventId: 'h-1' } });
    const received = handler.events.at(-1);
    assert.equal(received?.source, 'http');
    assert.deepEqual(received?.completion, EXPECTED_COMPLETION);
  });

  test('binary mode → 200', async () => {
    const response = await post(binaryHeaders('h-2'), JSON.stringify(completionData({ status: 'failed' })));
    assert.equal(response.status, 200);
    assert.equal(handler.events.at(-1)?.id, 'h-2');
    assert.equal(handler.events.at(-1)?.completion?.status, 'failed');
  });

  test("KFP-Operator's bare format as application/json → 200", async () => {
    const response = await post({ 'content-type': 'application/json' }, JSON.stringify({ data: completionData() }));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { eventId: string }).eventId, '6f1d2c4e-8a0b-4c55-9a51-3d2f0e1b7c90:succeeded');
  });

  test('a 4xx verdict (handled, permanently refused) is passed through', async () => {
    const refusing = recordingHandler(() => ({ status: 422, body: { error: 'template' } }));
    const app = createApp({
      readiness: () => ({ ready: true, reasons: [] }),
      logger,
      routes: [completionRoute({ path: '/c', bodyLimitBytes: 4096, ...completionAuth(), handle: refusing.handle, readiness: () => ({ ready: true, reasons: [] }), logger })],
    });
    const other = await startServer(app, { host: '127.0.0.1', port: 0 });
    try {
      const response = await fetch(`${other.url}/c`, { method: 'POST', headers: { authorization: `Bearer ${COMPLETION_TOKEN}`, ...binaryHeaders('h-9') }, body: JSON.stringify(completionData()) });
      assert.equal(response.status, 422);
      assert.deepEqual(await response.json(), { eventId: 'h-9', outcome: { error: 'template' } });
    } finally {
      await other.close();
    }
  });

  const rejections: { name: string; headers: Record<string, string>; body: string; status: number; code: string; message: string; reason: string }[] = [
    {
      name: 'malformed JSON',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{"id":',
      status: 400,
      code: 'RB_MALFORMED',
      message: 'body is not valid JSON',
      reason: 'not_json',
    },
    {
      name: 'missing status',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(structuredEnvelope('h-3', { runId: 'x' })),
      status: 400,
      code: 'RB_MALFORMED',
      message: 'data.status: required: one of "succeeded", "failed"',
      reason: 'invalid_data',
    },
    {
      name: 'a runEndTime that is not a time',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: completionData({ runEndTime: 'yesterday' }) }),
      status: 400,
      code: 'RB_MALFORMED',
      message: 'data.runEndTime must be an RFC 3339 timestamp, got "yesterday"',
      reason: 'invalid_data',
    },
    {
      name: 'text/plain',
      headers: { 'content-type': 'text/plain' },
      body: 'succeeded',
      status: 415,
      code: 'RB_CONTENT_TYPE',
      message:
        'unsupported content type "text/plain": send application/cloudevents+json (structured mode), ce-* headers with application/json data (binary mode), or application/json',
      reason: 'content_type',
    },
    {
      name: 'a batch',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: '[]',
      status: 415,
      code: 'RB_CONTENT_TYPE',
      message: 'batched CloudEvents (application/cloudevents-batch+json) are not supported: send one event per request',
      reason: 'content_type',
    },
  ];
  for (const c of rejections) {
    test(`${c.name} → ${c.status}`, async () => {
      const before = await rejectedCount(metrics, c.reason);
      const calls = handler.events.length;
      const response = await post(c.headers, c.body);
      assert.equal(response.status, c.status);
      assert.deepEqual(await response.json(), { error: { code: c.code, message: c.message } });
      assert.equal(await rejectedCount(metrics, c.reason), before + 1);
      assert.equal(handler.events.length, calls);
    });
  }

  test('too large → 413', async () => {
    const response = await post({ 'content-type': 'application/json' }, JSON.stringify({ data: completionData({ pad: 'x'.repeat(5000) }) }));
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'RB_TOO_LARGE');
  });

  test('handler failure (throw or 5xx) → 503 so the sender delivers again; the next delivery → 200', async () => {
    handler.fail('h-4', 2);
    const send = () => post(binaryHeaders('h-4'), JSON.stringify(completionData()));
    const first = await send();
    assert.equal(first.status, 503);
    assert.deepEqual(await first.json(), {
      error: { code: 'RB_COMPLETION_FAILED', message: 'completion h-4 was not handled (handler failure for h-4): deliver it again' },
      eventId: 'h-4',
    });
    const second = await send();
    assert.equal(second.status, 503);
    assert.match(((await second.json()) as { error: { message: string } }).error.message, /\(the handler answered 503\)/);
    assert.equal((await send()).status, 200);
    assert.equal(handler.count('h-4'), 3);
    const failed = lines.filter((l) => l['msg'] === 'delivery failed' && l['eventId'] === 'h-4');
    assert.equal(failed.length, 2);
  });

  test('not ready → 503 before anything is read; GET → 405', async () => {
    ready = false;
    try {
      const response = await post(binaryHeaders('h-5'), JSON.stringify(completionData()));
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'RB_NOT_READY');
      assert.equal(handler.count('h-5'), 0);
    } finally {
      ready = true;
    }
    const get = await fetch(`${server.url}/events`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });
});
