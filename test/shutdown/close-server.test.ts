/**
 * closeServer on a real server and real keep-alive connections: a connection busy when the server
 * closes does not hold the close (and take new requests) until its idle timeout; the grace period
 * still bounds a request that does not end.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import { closeServer } from '../../src/daemon/close-server.ts';
import { startServer } from '../../src/server/start-server.ts';

/** Answers after `?ms=N` milliseconds (never without it). */
async function slowServer() {
  return startServer((req, res) => {
    const ms = new URL(req.url ?? '/', 'http://x').searchParams.get('ms');
    if (ms !== null) setTimeout(() => res.end('ok'), Number(ms));
  }, { host: '127.0.0.1', port: 0 });
}

function post(url: string, agent: Agent): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end('x');
  });
}

test('a keep-alive connection busy when the server closes is closed once answered, not after its idle timeout', async () => {
  const server = await slowServer();
  const agent = new Agent({ keepAlive: true });
  try {
    assert.equal(await post(`${server.url}/?ms=0`, agent), 200);
    const busy = post(`${server.url}/?ms=300`, agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closed = closeServer(server, 10_000);
    assert.equal(await busy, 200, 'the request in progress is answered');
    await closed;
    const ms = Date.now() - started;
    assert.ok(ms < 1_500, `closed ${ms} ms after close began (the idle timeout is 5 s)`);
  } finally {
    agent.destroy();
  }
});

test('a request that is never answered is cut at the end of the grace period', async () => {
  const server = await slowServer();
  const agent = new Agent({ keepAlive: true });
  try {
    const hanging = post(`${server.url}/`, agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await closeServer(server, 300);
    const ms = Date.now() - started;
    assert.ok(ms >= 250 && ms < 1_500, `closed after ${ms} ms`);
    assert.equal(await hanging, 'ECONNRESET');
  } finally {
    agent.destroy();
  }
});
