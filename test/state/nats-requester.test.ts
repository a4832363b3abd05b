// The pipelined requester against a real nats-server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createRequester, NoRespondersError, RequestTimeoutError } from '../../src/state/nats-kv-store.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';

let server: NatsServer;
let nc: NatsConnection;
before(async () => {
  server = await startNatsServer({});
  nc = await connect({ servers: server.url });
});
after(async () => {
  await nc?.close();
  await server?.stop();
});

const text = (s: string) => new TextEncoder().encode(s);

describe('requester', () => {
  test('many requests in flight each get their own reply, whatever order the replies come in', async () => {
    const held: { respond: () => void }[] = [];
    nc.subscribe('echo.slow', {
      callback: (_err, msg) => {
        held.push({ respond: () => msg.respond(text(`re:${msg.string()}`)) });
        if (held.length === 50) for (const h of held.reverse()) h.respond();
      },
    });
    await nc.flush();
    const requester = createRequester(nc, { timeoutMs: 5_000 });
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => requester.request('echo.slow', text(`m${i}`))));
    assert.deepEqual(replies.map((r) => r.string()), Array.from({ length: 50 }, (_, i) => `re:m${i}`));
    requester.close();
  });

  test('no responder: fails at once with NoRespondersError', async () => {
    const requester = createRequester(nc, { timeoutMs: 5_000 });
    const started = Date.now();
    await assert.rejects(requester.request('nobody.listens', text('x')), NoRespondersError);
    assert.ok(Date.now() - started < 2_000);
    requester.close();
  });

  test('a request with no reply fails after the timeout; close fails what is still waiting', async () => {
    nc.subscribe('silent', { callback: () => {} });
    await nc.flush();
    const requester = createRequester(nc, { timeoutMs: 200 });
    const started = Date.now();
    await assert.rejects(requester.request('silent', text('x')), RequestTimeoutError);
    const waited = Date.now() - started;
    assert.ok(waited >= 190 && waited < 2_000, `waited ${waited} ms`);
    const pending = requester.request('silent', text('y'));
    requester.close();
    await assert.rejects(pending, /closed/);
  });
});
