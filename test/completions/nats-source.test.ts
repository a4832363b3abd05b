// Completions over a real nats-server: core NATS and a durable JetStream consumer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { RunbridgeError } from '../../src/errors.ts';
import { connectNats, type NatsHandle } from '../../src/nats/connect.ts';
import type { Metrics } from '../../src/observability/metrics.ts';
import { startNatsCompletions, type NatsCompletions, type NatsCompletionsConfig } from '../../src/sources/completions/start-nats-completions.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { binaryHeaders, completionData, structuredEnvelope } from './fixtures.ts';
import { captureLogger, recordingHandler, rejectedCount, sleep, testMetrics, waitFor, type RecordingHandler } from './harness.ts';

let server: NatsServer;
let client: NatsConnection;
let js: JetStreamClient;
const handles: NatsHandle[] = [];
const quietNats = { info: () => {}, warn: () => {}, error: () => {} };

before(async () => {
  server = await startNatsServer({ jetstream: true });
  client = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  js = jetstream(client);
});
after(async () => {
  for (const h of handles) await h.close();
  await client?.close();
  await server?.stop();
});

async function runbridgeConnection(): Promise<NatsHandle> {
  const handle = await connectNats({ servers: [server.url], name: 'runbridge-test' }, { logger: quietNats, reconnectTimeWaitMs: 100 });
  handles.push(handle);
  return handle;
}

interface Started {
  source: NatsCompletions;
  handler: RecordingHandler;
  metrics: Metrics;
  lines: Record<string, unknown>[];
  logger: Logger;
}

async function start(config: NatsCompletionsConfig, handler = recordingHandler(), nats?: NatsHandle): Promise<Started> {
  const { logger, lines } = captureLogger();
  const metrics = testMetrics();
  const source = await startNatsCompletions({
    nats: nats ?? (await runbridgeConnection()),
    config,
    handle: handler.handle,
    logger,
    metrics,
    ackWaitMs: 1_000,
    redelivery: { baseMs: 50, capMs: 200 },
    restartDelayMs: 100,
  });
  return { source, handler, metrics, lines, logger };
}

const body = (id: string): string => JSON.stringify(structuredEnvelope(id, completionData({ runId: `run-${id}` })));

describe('core NATS', () => {
  test('structured, bare and binary completions reach the handler; malformed ones are counted and skipped', async () => {
    const { source, handler, metrics, lines } = await start({ subject: 'core.events' });
    client.publish('core.events', body('c-1'));
    client.publish('core.events', 'not json at all');
    client.publish('core.events', JSON.stringify({ data: completionData({ runId: 'bare-run', status: 'failed' }) }));
    const h = natsHeaders();
    for (const [name, value] of Object.entries(binaryHeaders('c-3'))) h.set(name, value);
    client.publish('core.events', JSON.stringify(completionData()), { headers: h });
    await waitFor('three completions', () => handler.events.length === 3);
    assert.deepEqual(handler.events.map((e) => e.id), ['c-1', 'bare-run:failed', 'c-3']);
    assert.deepEqual(handler.events.map((e) => e.source), ['nats', 'nats', 'nats']);
    assert.equal(handler.events[1]?.completion?.status, 'failed');
    assert.equal(await rejectedCount(metrics, 'not_json'), 1);
    const rejection = lines.find((l) => l['msg'] === 'completion rejected: body is not valid JSON');
    assert.ok(rejection, JSON.stringify(lines));
    assert.equal(rejection['subject'], 'core.events');
    assert.equal(source.reasons().length, 0);
    await source.stop();
  });

  test('completions of different runs are handled at once; two reports of one run one after the other, in arrival order', async () => {
    const handler = recordingHandler();
    const held = holdByRun(handler);
    const { source } = await start({ subject: 'core.window' }, { ...handler, handle: held.handle });
    const publish = (id: string, runId: string) => client.publish('core.window', JSON.stringify(structuredEnvelope(id, completionData({ runId }))));
    publish('w-1', 'run-a');
    publish('w-2', 'run-b');
    publish('w-3', 'run-a');
    publish('w-4', 'run-c');
    await waitFor('runs a, b and c in hand at once', () => held.running.size === 3);
    assert.equal(handler.events.length, 0);
    held.release();
    await waitFor('all four handled', () => handler.events.length === 4);
    assert.equal(held.overlapSameRun, false, 'the second report of run-a waited for the first');
    assert.equal(held.mostAtOnce, 3);
    const ids = handler.events.map((e) => e.id);
    assert.ok(ids.indexOf('w-1') < ids.indexOf('w-3'), `run-a in arrival order: ${ids.join(', ')}`);
    await source.stop();
  });

  test('a request gets the verdict as its reply; a malformed request gets the 400', async () => {
    const { source } = await start({ subject: 'core.requests' });
    const good = await client.request('core.requests', body('r-1'), { timeout: 5_000 });
    assert.deepEqual(good.json(), { eventId: 'r-1', status: 200, outcome: { ok: true } });
    const bad = await client.request('core.requests', '{"data":{"status":"done"}}', { timeout: 5_000 });
    assert.deepEqual(bad.json(), { status: 400, error: { code: 'RB_MALFORMED', message: 'data.status: expected one of "succeeded", "failed", got "done"' } });
    await source.stop();
  });
});

describe('JetStream', () => {
  const config = (name: string, extra: Partial<NonNullable<NatsCompletionsConfig['jetstream']>> = {}): NatsCompletionsConfig => ({
    subject: `${name}.events`,
    jetstream: { stream: name.toUpperCase(), durable: 'runbridge', create: true, maxDeliver: 10, ...extra },
  });
  const consumerInfo = async (name: string) => (await jetstreamManager(client)).consumers.info(name.toUpperCase(), 'runbridge');

  test('creates the stream when missing; a handler failure is redelivered until handled, then acked', async () => {
    const { source, handler } = await start(config('redeliver'));
    handler.fail('f-1', 2);
    await js.publish('redeliver.events', body('f-1'));
    await js.publish('redeliver.events', body('f-2'));
    await waitFor('f-1 handled on its third delivery', () => handler.count('f-1') === 3);
    await waitFor('everything acked', async () => (await consumerInfo('redeliver')).num_ack_pending === 0);
    const info = await consumerInfo('redeliver');
    assert.equal(info.num_pending, 0);
    assert.equal(handler.count('f-2'), 1);
    assert.equal(info.config.max_deliver, 10);
    assert.deepEqual(source.reasons(), []);
    await source.stop();
  });

  test('deliveries of different runs are handled at once and each acked only once handled; reports of one run in stream order', async () => {
    const handler = recordingHandler();
    const held = holdByRun(handler);
    const { source } = await start(config('window'), { ...handler, handle: held.handle });
    const publish = (id: string, runId: string) => js.publish('window.events', JSON.stringify(structuredEnvelope(id, completionData({ runId }))));
    await publish('j-1', 'run-a');
    await publish('j-2', 'run-b');
    await publish('j-3', 'run-a');
    await waitFor('runs a and b in hand at once', () => held.running.size === 2);
    assert.equal((await consumerInfo('window')).num_ack_pending, 3, 'nothing acked before it is handled');
    held.release();
    await waitFor('everything acked', async () => (await consumerInfo('window')).num_ack_pending === 0);
    assert.equal(held.overlapSameRun, false);
    const ids = handler.events.map((e) => e.id);
    assert.equal(ids.length, 3);
    assert.ok(ids.indexOf('j-1') < ids.indexOf('j-3'), `run-a in stream order: ${ids.join(', ')}`);
    await source.stop();
  });

  test('a malformed completion is terminated: never redelivered, never handled', async () => {
    const { source, handler, metrics, lines } = await start(config('malformed'));
    await js.publish('malformed.events', '{"data": {"status": "succeeded", "artifacts": "gs://x"}}');
    await js.publish('malformed.events', body('m-ok'));
    await waitFor('the good one', () => handler.count('m-ok') === 1);
    await sleep(1_500); // longer than ack wait (1 s): an unsettled message would be back by now
    const info = await consumerInfo('malformed');
    assert.equal(info.num_redelivered, 0);
    assert.equal(info.num_ack_pending, 0);
    assert.equal(await rejectedCount(metrics, 'invalid_data'), 1);
    assert.equal(handler.events.length, 1);
    assert.ok(lines.some((l) => l['msg'] === 'completion rejected: data.artifacts: expected a list, got "gs://x"' && l['deliveryCount'] === 1));
    await source.stop();
  });

  test('a completion failing on its last allowed delivery is terminated and logged', async () => {
    const { source, handler, lines } = await start(config('exhaust', { maxDeliver: 2 }));
    handler.fail('x-1', 5);
    await js.publish('exhaust.events', body('x-1'));
    await waitFor('two deliveries', () => handler.count('x-1') === 2);
    await waitFor('settled', async () => (await consumerInfo('exhaust')).num_ack_pending === 0);
    await sleep(300);
    assert.equal(handler.count('x-1'), 2);
    assert.ok(lines.some((l) => l['msg'] === 'completion failed on its last delivery (2 of 2): giving up on it'));
    await source.stop();
  });

  test('a missing stream with create: false fails startup with a clear error', async () => {
    await assert.rejects(start(config('absent', { create: false })), (error: unknown) => {
      assert.ok(error instanceof RunbridgeError);
      assert.equal(
        error.message,
        'JetStream stream ABSENT does not exist (completions.nats.jetstream.create is false): create it with subject absent.events',
      );
      return true;
    });
  });

  test('runbridge stopped while completions are published: all are delivered once after the restart', async () => {
    const first = await start(config('downtime'));
    for (let i = 0; i < 5; i++) await js.publish('downtime.events', body(`d-${i}`));
    await waitFor('the first five', () => first.handler.events.length === 5);
    await first.source.stop();
    for (let i = 5; i < 25; i++) await js.publish('downtime.events', body(`d-${i}`));
    const second = await start(config('downtime'));
    await waitFor('the twenty published while down', () => second.handler.events.length === 20);
    await sleep(300);
    // Each exactly once. Order is not promised: a message the stopping consumer had already
    // prefetched is nak'ed back and redelivered after the others (chaining orders by run end time).
    const ids = [...first.handler.events, ...second.handler.events].map((e) => e.id);
    const byNumber = (a: string, b: string): number => Number(a.slice(2)) - Number(b.slice(2));
    assert.deepEqual([...ids].sort(byNumber), Array.from({ length: 25 }, (_, i) => `d-${i}`));
    await second.source.stop();
  });

  test('the NATS server restarted while completions are published: none is lost', async () => {
    const handle = await runbridgeConnection();
    const { source, handler } = await start(config('restart'), recordingHandler(), handle);
    const published: string[] = [];
    const publishing = (async () => {
      for (let i = 0; i < 30; i++) {
        const id = `s-${i}`;
        for (;;) {
          try {
            await js.publish('restart.events', body(id), { timeout: 1_000 });
            break;
          } catch {
            await sleep(50);
          }
        }
        published.push(id);
        await sleep(20);
      }
    })();
    await waitFor('some completions before the restart', () => handler.events.length >= 5);
    await server.restart();
    await publishing;
    await waitFor('every published completion handled', () => published.every((id) => handler.count(id) >= 1), 30_000);
    await waitFor('ready again', () => source.reasons().length === 0, 10_000);
    assert.deepEqual(new Set(handler.events.map((e) => e.id)), new Set(published));
    await source.stop();
  });
});

/**
 * A handler that holds every completion until `release()`, noting which runs are in hand, whether
 * two reports of one run were ever in hand together, and the most in hand at once.
 */
function holdByRun(handler: RecordingHandler) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = {
    running: new Set<string>(),
    overlapSameRun: false,
    mostAtOnce: 0,
    release: () => release(),
    handle: async (event: Parameters<RecordingHandler['handle']>[0]) => {
      const run = event.completion?.runId ?? '';
      if (state.running.has(run)) state.overlapSameRun = true;
      state.running.add(run);
      state.mostAtOnce = Math.max(state.mostAtOnce, state.running.size);
      try {
        await held;
        return await handler.handle(event);
      } finally {
        state.running.delete(run);
      }
    },
  };
  return state;
}
