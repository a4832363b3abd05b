// Attacks on the public listener (docs/security.md, "Ways in" and "Bounded before
// authentication"): what it serves, and what a sender who proves nothing can make it hold.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { config, echo, loadInline } from '../config/load-inline.ts';
import { headWithoutBody, openSocket, statusOf } from './raw-http.ts';

const API_TOKEN = 'api-token-0123456789abcdef0123456789abcdef';
const STATUS_TOKEN = 'status-token-0123456789abcdef0123456789abcd';
const COMPLETIONS_TOKEN = 'completions-token-0123456789abcdef01234567';
const ENV = { WEBHOOK_SECRET: 'test-secret', API_TOKEN, STATUS_TOKEN, COMPLETIONS_TOKEN };
const SIGNED_HEAD = (length: number) =>
  'POST /webhooks/github HTTP/1.1\r\nHost: runbridge\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n' +
  `X-GitHub-Delivery: d-${Math.random()}\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: ${length}\r\n\r\n`;

describe('two listeners, and the public one bounded before authentication', () => {
  let directory: string;
  let daemon: Daemon;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'runbridge-listeners-'));
    const loaded = await loadInline(
      {
        ...config(echo('train', { manual: { enabled: true } })),
        server: { limits: { headersTimeoutSeconds: 1, requestTimeoutSeconds: 3, bodyIdleTimeoutSeconds: 1, maxUnauthenticatedRequests: 3, maxUnauthenticatedBytes: 1_000_000, maxUnauthenticatedRequestsPerClient: 2 } },
        api: { token: { fromEnv: 'API_TOKEN' } },
        status: { token: { fromEnv: 'STATUS_TOKEN' } },
        completions: { http: { auth: { tokens: [{ fromEnv: 'COMPLETIONS_TOKEN' }] } } },
        sink: { type: 'file', directory: join(directory, 'runs') },
        state: { type: 'file', directory: join(directory, 'state') },
        intake: { directory: join(directory, 'intake') },
      },
      { env: ENV },
    );
    daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: ENV, port: 0, internalPort: 0 });
  });
  after(async () => {
    await daemon?.shutdown('test over');
    await rm(directory, { recursive: true, force: true });
  });

  const internalOnly: [string, string][] = [
    ['GET', '/status'],
    ['GET', '/metrics'],
    ['POST', '/events'],
    ['POST', '/api/v1/run-configurations/ml/train/runs'],
    ['GET', '/api/v1/events/github%3Ax'],
  ];
  for (const [method, path] of internalOnly) {
    test(`${method} ${path} on the public port → 404; on the internal port it is there`, async () => {
      const outside = await fetch(`${daemon.url}${path}`, { method });
      assert.equal(outside.status, 404);
      assert.equal(((await outside.json()) as { error: { code: string } }).error.code, 'RB_NOT_FOUND');
      const inside = await fetch(`${daemon.internalUrl}${path}`, { method });
      assert.notEqual(inside.status, 404, `${method} ${path} is not served on the internal port`);
    });
  }

  test('the webhook is on the public port only; health on both', async () => {
    assert.equal((await fetch(`${daemon.internalUrl}/webhooks/github`, { method: 'POST' })).status, 404);
    for (const url of [daemon.url, daemon.internalUrl]) {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
    }
  });

  test('/status wants status.token: 401 without it, the report with it', async () => {
    assert.equal((await fetch(`${daemon.internalUrl}/status`)).status, 401);
    const answer = await fetch(`${daemon.internalUrl}/status`, { headers: { authorization: `Bearer ${STATUS_TOKEN}` } });
    assert.equal(answer.status, 200);
  });

  test('a webhook without a signature header is refused before its body is read', async () => {
    const head = 'POST /webhooks/github HTTP/1.1\r\nHost: runbridge\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: d-1\r\nContent-Length: 900000\r\n\r\n';
    const { text } = await headWithoutBody(daemon.url, head, 3000);
    assert.equal(statusOf(text), 401, text);
    assert.match(text, /missing X-Hub-Signature-256 header/);
  });

  test('a body that stalls is abandoned: the connection is closed after the idle timeout', async () => {
    const started = Date.now();
    const socket = await openSocket(daemon.url);
    socket.write(SIGNED_HEAD(100) + '{"ref":');
    await new Promise((resolve) => socket.once('close', resolve));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 4000, `closed after ${elapsed} ms`);
  });

  test('headers sent a byte at a time are cut off at the headers timeout', async () => {
    const started = Date.now();
    const socket = await openSocket(daemon.url);
    const head = SIGNED_HEAD(10);
    let sent = 0;
    const drip = setInterval(() => {
      if (sent < head.length && !socket.destroyed) socket.write(head[sent++] ?? '');
    }, 100);
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(drip);
    const elapsed = Date.now() - started;
    assert.ok(sent < head.length, 'the headers were all delivered: nothing was cut off');
    assert.ok(elapsed < 4000, `closed after ${elapsed} ms`);
  });

  test('more unauthenticated requests than the cap at once: 503 with Retry-After, and room again once they are gone', async () => {
    const stalled = await Promise.all(['127.0.0.2', '127.0.0.3', '127.0.0.4'].map(async (from) => {
      const socket = await openSocket(daemon.url, from);
      socket.on('error', () => {});
      socket.write(SIGNED_HEAD(1000));
      return socket;
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { text } = await headWithoutBody(daemon.url, SIGNED_HEAD(10), 3000, '127.0.0.5');
    assert.equal(statusOf(text), 503, text);
    assert.match(text, /Retry-After: 5/i);
    assert.match(text, /too many unauthenticated requests in flight/);
    for (const socket of stalled) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await headWithoutBody(daemon.url, SIGNED_HEAD(2) + '{}', 3000);
    assert.equal(statusOf(again.text), 401, again.text);
  });

  test('a declared body over the bytes cap is refused at once, before it is read', async () => {
    const big = await Promise.all(['127.0.0.8', '127.0.0.9'].map(async (from) => {
      const socket = await openSocket(daemon.url, from);
      socket.on('error', () => {});
      socket.write(SIGNED_HEAD(600_000));
      return socket;
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { text } = await headWithoutBody(daemon.url, SIGNED_HEAD(600_000), 3000, '127.0.0.10');
    for (const socket of big) socket.destroy();
    assert.equal(statusOf(text), 503, text);
    assert.match(text, /too many unauthenticated bytes in flight/);
  });

  test('one address cannot take every place: its share is refused, another address still gets in', async () => {
    const held = await Promise.all([0, 1].map(async () => {
      const socket = await openSocket(daemon.url, '127.0.0.6');
      socket.on('error', () => {});
      socket.write(SIGNED_HEAD(1000));
      return socket;
    }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const same = await headWithoutBody(daemon.url, SIGNED_HEAD(10), 3000, '127.0.0.6');
    assert.equal(statusOf(same.text), 503, same.text);
    assert.match(same.text, /too many unauthenticated requests from this address in flight \(2\)/);
    const other = await headWithoutBody(daemon.url, SIGNED_HEAD(2) + '{}', 3000, '127.0.0.7');
    assert.equal(statusOf(other.text), 401, 'another address is let in (and refused only for its wrong signature)');
    for (const socket of held) socket.destroy();
  });
});
