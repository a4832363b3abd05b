import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  fixture,
  NEW_SECRET,
  OLD_SECRET,
  send,
  sign,
  signedPush,
  startHarness,
  WEBHOOK_PATH,
  type DeliveryInit,
  type Harness,
} from './webhook-harness.ts';

const LIMIT = 32 * 1024;
const push = fixture('push.json');

function chunked(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

interface Case {
  name: string;
  request: () => Promise<DeliveryInit>;
  status: number;
  code?: string;
  check?: (body: any, headers: Headers) => void;
}

const oversize = `{"padding":"${'x'.repeat(LIMIT)}"}`;
const formBody = (json: string) => `payload=${encodeURIComponent(json)}`;

const cases: Case[] = [
  { name: 'no signature', request: () => signedPush(OLD_SECRET, { signature: undefined }), status: 401, code: 'RB_SIGNATURE' },
  {
    name: 'wrong signature',
    request: () => signedPush(OLD_SECRET, { signature: `sha256=${'0'.repeat(64)}` }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  {
    name: 'signature of another secret',
    request: async () => signedPush(OLD_SECRET, { signature: await sign('not-the-secret', push) }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  {
    name: 'signature over a different body (tampered)',
    request: async () => signedPush(OLD_SECRET, { body: push.replace('refs/heads/master', 'refs/heads/main') }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  {
    name: 'sha1 signature only',
    request: () => signedPush(OLD_SECRET, { signature: undefined, headers: { 'x-hub-signature': 'sha1=0123' } }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  {
    name: 'unverified malformed JSON is refused before parsing',
    request: async () => ({ ...(await signedPush(OLD_SECRET)), body: '{not json' }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  { name: 'current secret accepted', request: () => signedPush(OLD_SECRET), status: 200 },
  { name: 'second (rotated) secret accepted', request: () => signedPush(NEW_SECRET), status: 200 },
  {
    name: 'charset parameter accepted',
    request: () => signedPush(NEW_SECRET, { contentType: 'application/json; charset=utf-8' }),
    status: 200,
  },
  { name: 'missing X-GitHub-Event', request: () => signedPush(OLD_SECRET, { event: undefined }), status: 400, code: 'RB_MALFORMED' },
  {
    name: 'missing X-GitHub-Delivery',
    request: () => signedPush(OLD_SECRET, { deliveryId: undefined }),
    status: 400,
    code: 'RB_MALFORMED',
    check: (body) => assert.equal(body.eventId, undefined),
  },
  {
    name: 'X-GitHub-Delivery that is not an id',
    request: () => signedPush(OLD_SECRET, { deliveryId: 'not/an id' }),
    status: 400,
    code: 'RB_MALFORMED',
  },
  {
    name: 'malformed JSON with a valid signature',
    request: async () => signedPush(OLD_SECRET, { body: '{"ref": ', signature: await sign(OLD_SECRET, '{"ref": ') }),
    status: 400,
    code: 'RB_MALFORMED',
  },
  {
    name: 'JSON that is not an object',
    request: async () => signedPush(OLD_SECRET, { body: '[1,2]', signature: await sign(OLD_SECRET, '[1,2]') }),
    status: 400,
    code: 'RB_MALFORMED',
  },
  {
    name: 'urlencoded without payload field',
    request: async () =>
      signedPush(OLD_SECRET, {
        contentType: 'application/x-www-form-urlencoded',
        body: 'other=1',
        signature: await sign(OLD_SECRET, 'other=1'),
      }),
    status: 400,
    code: 'RB_MALFORMED',
  },
  {
    name: 'urlencoded with a valid payload',
    request: async () =>
      signedPush(OLD_SECRET, {
        contentType: 'application/x-www-form-urlencoded',
        body: formBody(push),
        signature: await sign(OLD_SECRET, formBody(push)),
      }),
    status: 200,
    check: (body) => assert.equal(body.message, '1 run created'),
  },
  { name: 'text/plain', request: () => signedPush(OLD_SECRET, { contentType: 'text/plain' }), status: 415, code: 'RB_CONTENT_TYPE' },
  { name: 'no content type', request: () => signedPush(OLD_SECRET, { contentType: undefined }), status: 415, code: 'RB_CONTENT_TYPE' },
  {
    name: 'gzip content encoding',
    request: async () => signedPush(OLD_SECRET, { body: gzipSync(push), headers: { 'content-encoding': 'gzip' } }),
    status: 415,
    code: 'RB_CONTENT_TYPE',
  },
  {
    name: 'oversize by Content-Length',
    request: async () => signedPush(OLD_SECRET, { body: oversize, signature: await sign(OLD_SECRET, oversize) }),
    status: 413,
    code: 'RB_TOO_LARGE',
    check: (body) => assert.match(body.error.message, new RegExp(`${LIMIT} bytes`)),
  },
  {
    name: 'oversize chunked (no Content-Length)',
    request: async () => signedPush(OLD_SECRET, { body: chunked(oversize, 4096), signature: await sign(OLD_SECRET, oversize) }),
    status: 413,
    code: 'RB_TOO_LARGE',
  },
  {
    name: 'chunked within the limit',
    request: async () => signedPush(OLD_SECRET, { body: chunked(push, 1000) }),
    status: 200,
  },
  {
    name: 'GET on the webhook path',
    request: async () => ({ method: 'GET' }),
    status: 405,
    code: 'RB_METHOD_NOT_ALLOWED',
    check: (_body, headers) => assert.equal(headers.get('allow'), 'POST'),
  },
  {
    name: 'PUT on the webhook path',
    request: async () => ({ ...(await signedPush(OLD_SECRET)), method: 'PUT' }),
    status: 405,
    code: 'RB_METHOD_NOT_ALLOWED',
    check: (_body, headers) => assert.equal(headers.get('allow'), 'POST'),
  },
  {
    name: 'a query after the path',
    request: async () => signedPush(OLD_SECRET, { path: `${WEBHOOK_PATH}?from=github` }),
    status: 200,
    check: (body) => assert.equal(body.message, '1 run created'),
  },
  {
    name: 'the path with a trailing slash (through the router)',
    request: async () => signedPush(OLD_SECRET, { path: `${WEBHOOK_PATH}/` }),
    status: 200,
    check: (body) => assert.equal(body.message, '1 run created'),
  },
  {
    name: 'the path in upper case, no signature (through the router)',
    request: async () => signedPush(OLD_SECRET, { path: WEBHOOK_PATH.toUpperCase(), signature: undefined }),
    status: 401,
    code: 'RB_SIGNATURE',
  },
  {
    name: 'unknown path',
    request: async () => signedPush(OLD_SECRET, { path: '/webhooks/gitlab' }),
    status: 404,
    code: 'RB_NOT_FOUND',
  },
  {
    name: 'ping',
    request: async () => {
      const body = fixture('ping.json');
      return { event: 'ping', deliveryId: 'ping-1', contentType: 'application/json', body, signature: await sign(OLD_SECRET, body) };
    },
    status: 200,
    check: (body) => assert.deepEqual(body, { eventId: 'ping-1', pong: true, zen: 'Anything added dilutes everything else.' }),
  },
  {
    name: 'nothing matched',
    request: () => signedPush(OLD_SECRET, { deliveryId: `nomatch-${randomUUID()}` }),
    status: 200,
    check: (body) => {
      assert.equal(body.message, 'no run configuration matched');
      assert.deepEqual(body.skipped, [{ runConfiguration: 'ml/trainer', reason: 'branch refs/heads/master not in [main]' }]);
    },
  },
  {
    name: 'dispatch outcome with a retryable failure: stored, its run follows',
    request: () => signedPush(OLD_SECRET, { deliveryId: `retryable-${randomUUID()}` }),
    status: 202,
    check: (body) => {
      assert.equal(body.state, 'pending');
      assert.match(body.message, /^stored: its runs will be created as soon as they can be \(ml\/trainer: /);
      assert.equal(body.runs[0].error.code, 'RB_SINK');
    },
  },
  {
    name: 'dispatch outcome with a template failure: a dead letter',
    request: () => signedPush(OLD_SECRET, { deliveryId: `invalid-${randomUUID()}` }),
    status: 422,
    check: (body) => {
      assert.equal(body.runs[0].error.code, 'RB_RENDER');
      assert.equal(body.state, 'dead');
      assert.match(body.message, /kept as a dead letter \(runbridge retry github:invalid-/);
    },
  },
  {
    name: 'dispatch throws an unexpected error: stored, tried again later, nothing of the error told',
    request: () => signedPush(OLD_SECRET, { deliveryId: `throw-${randomUUID()}` }),
    status: 202,
    check: (body) => {
      assert.equal(body.state, 'pending');
      assert.equal(body.reason, 'processing failed unexpectedly');
      assert.doesNotMatch(JSON.stringify(body), /var\/lib/);
    },
  },
];

describe('GitHub webhook over a real socket', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ bodyLimitBytes: LIMIT });
  });
  after(() => harness.close());

  for (const c of cases) {
    test(`${c.name} → ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
      const init = await c.request();
      const dispatchedBefore = harness.events.length;
      const response = await send(harness.url, init);
      assert.equal(response.status, c.status, JSON.stringify(response.body));
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      if (c.code) assert.equal(response.body.error.code, c.code);
      else assert.equal(response.body.error, undefined);
      const knownId = init.path === undefined && init.method === undefined && init.deliveryId?.match(/^[\w-]+$/);
      if (knownId) assert.equal(response.body.eventId, init.deliveryId);
      const dispatched = harness.events.length - dispatchedBefore;
      const reachedDispatch = init.event !== 'ping' && (c.code === undefined || c.code === 'RB_INTERNAL');
      assert.equal(dispatched, reachedDispatch ? 1 : 0, 'dispatch calls');
      c.check?.(response.body, response.headers);
    });
  }
});

describe('GitHub webhook answers: the same headers as express answers with', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ bodyLimitBytes: LIMIT });
  });
  after(() => harness.close());

  const headersOf = (headers: Headers): Record<string, string> => {
    const all = Object.fromEntries(headers.entries());
    delete all['date'];
    return all;
  };

  for (const [name, overrides, status] of [
    ['accepted', {}, 200],
    ['no signature', { signature: undefined }, 401],
    ['not JSON', { contentType: 'text/plain' }, 415],
  ] as const) {
    test(`${name}: ${status}, same headers at ${WEBHOOK_PATH} and ${WEBHOOK_PATH}/`, async () => {
      const direct = await send(harness.url, await signedPush(OLD_SECRET, { ...overrides }));
      const routed = await send(harness.url, await signedPush(OLD_SECRET, { ...overrides, path: `${WEBHOOK_PATH}/` }));
      assert.equal(direct.status, status);
      assert.equal(routed.status, status);
      assert.deepEqual(headersOf(direct.headers), headersOf(routed.headers));
      assert.equal(direct.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(direct.headers.get('content-length'), String(Buffer.byteLength(JSON.stringify(direct.body))));
      // An answer of express's own res.json (the 404 of its router) for the same request elsewhere.
      const fromExpress = await send(harness.url, await signedPush(OLD_SECRET, { ...overrides, path: '/webhooks/elsewhere' }));
      assert.equal(fromExpress.status, 404);
      const { 'content-length': _length, ...expressHeaders } = headersOf(fromExpress.headers);
      const { 'content-length': _directLength, ...directHeaders } = headersOf(direct.headers);
      assert.deepEqual(directHeaders, expressHeaders);
    });
  }
});
