import assert from 'node:assert/strict';
import { test } from 'node:test';
import express from 'express';
import {
  ConfigError,
  MalformedEventError,
  NotReadyError,
  PayloadTooLargeError,
  RenderError,
  SignatureError,
  SinkError,
  UnsupportedMediaTypeError,
} from '../../src/errors.ts';
import { errorResponse } from '../../src/server/error-response.ts';

/** A body-parser error as express raises it, obtained by running the real parser. */
async function bodyParserError(contentType: string, body: string, limit = 100): Promise<unknown> {
  const { Readable } = await import('node:stream');
  const req = Object.assign(Readable.from([Buffer.from(body)]), {
    headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) },
  });
  return new Promise((resolve) => express.json({ limit })(req as never, {} as never, resolve));
}

const cases: { name: string; error: () => unknown | Promise<unknown>; status: number; code: string; message?: RegExp }[] = [
  { name: 'bad signature', error: () => new SignatureError(), status: 401, code: 'RB_SIGNATURE' },
  { name: 'malformed event', error: () => new MalformedEventError('missing X-GitHub-Event header'), status: 400, code: 'RB_MALFORMED', message: /X-GitHub-Event/ },
  { name: 'too large', error: () => new PayloadTooLargeError(1024), status: 413, code: 'RB_TOO_LARGE', message: /1024 bytes/ },
  { name: 'content type', error: () => new UnsupportedMediaTypeError('text/plain'), status: 415, code: 'RB_CONTENT_TYPE' },
  { name: 'render', error: () => new RenderError('parameter commit is not set'), status: 422, code: 'RB_RENDER' },
  { name: 'not ready', error: () => new NotReadyError(), status: 503, code: 'RB_NOT_READY' },
  { name: 'sink forbidden', error: () => new SinkError('forbidden', { status: 403, retryable: false }), status: 403, code: 'RB_SINK' },
  { name: 'config', error: () => new ConfigError([{ path: 'github.secrets', message: 'none' }]), status: 500, code: 'RB_CONFIG' },
  { name: 'body-parser: entity too large', error: () => bodyParserError('application/json', `"${'x'.repeat(200)}"`), status: 413, code: 'RB_TOO_LARGE', message: /100 bytes/ },
  { name: 'body-parser: parse failed', error: () => bodyParserError('application/json', '{nope'), status: 400, code: 'RB_MALFORMED' },
  { name: 'body-parser: unsupported charset', error: () => bodyParserError('application/json; charset=koi9', '{}'), status: 415, code: 'RB_CONTENT_TYPE' },
  { name: 'plain Error', error: () => new Error('ENOENT /etc/runbridge/secret'), status: 500, code: 'RB_INTERNAL', message: /^internal error$/ },
  { name: 'thrown string', error: () => 'boom', status: 500, code: 'RB_INTERNAL' },
  { name: 'null', error: () => null, status: 500, code: 'RB_INTERNAL' },
  { name: 'a 5xx http error is not exposed', error: () => Object.assign(new Error('db down at 10.0.0.3'), { status: 502, expose: false }), status: 500, code: 'RB_INTERNAL', message: /^internal error$/ },
];

for (const c of cases) {
  test(`errorResponse: ${c.name} → ${c.status} ${c.code}`, async () => {
    const err = await c.error();
    const { status, body } = errorResponse(err);
    assert.equal(status, c.status);
    assert.equal(body.error.code, c.code);
    assert.equal('eventId' in body, false);
    if (c.message) assert.match(body.error.message, c.message);
  });
}

test('errorResponse adds the eventId when it is known', () => {
  assert.deepEqual(errorResponse(new SignatureError(), 'd3f1'), {
    status: 401,
    body: { error: { code: 'RB_SIGNATURE', message: 'signature verification failed' }, eventId: 'd3f1' },
  });
});
