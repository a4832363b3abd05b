import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createRedactor } from '../../src/observability/redact-secrets.ts';
import { createLogger } from '../../src/observability/create-logger.ts';

const redact = createRedactor({ keys: ['token', 'secret'], headers: ['authorization'], censor: '[redacted]' });

test('a line without a secret is the same object, not a copy', () => {
  const line = { eventId: 'e-1', source: 'github', matched: [{ run: 'r-1', created: true }], nested: { a: { b: { c: 1 } } } };
  assert.equal(redact(line), line);
});

test('secret keys at the top level and two levels down, in objects and arrays; the input is left as it was', () => {
  const line = { token: 't0', a: { secret: 's1', keep: 1 }, list: [{ token: 't2' }], b: { c: { token: 't3' } } };
  const copy = structuredClone(line);
  assert.deepEqual(redact(line), { token: '[redacted]', a: { secret: '[redacted]', keep: 1 }, list: [{ token: '[redacted]' }], b: { c: { token: '[redacted]' } } });
  assert.deepEqual(line, copy);
});

test('secret headers in a headers object at any of the three levels', () => {
  assert.deepEqual(redact({ headers: { authorization: 'x', accept: 'y' } }), { headers: { authorization: '[redacted]', accept: 'y' } });
  assert.deepEqual(redact({ req: { headers: { authorization: 'x' } } }), { req: { headers: { authorization: '[redacted]' } } });
  assert.deepEqual(redact({ a: { b: { headers: { authorization: 'x' } } } }), { a: { b: { headers: { authorization: '[redacted]' } } } });
});

test('an error stays an error (its stack and message are kept) with its secret field redacted', () => {
  const error = Object.assign(new Error('boom'), { token: 'SECRET', code: 'E1' });
  const out = redact({ err: error }).err;
  assert.ok(out instanceof Error);
  assert.notEqual(out, error);
  assert.equal(out.message, 'boom');
  assert.equal(out.stack, error.stack);
  assert.equal((out as unknown as { token: string }).token, '[redacted]');
  assert.equal((out as unknown as { code: string }).code, 'E1');
  assert.equal(error.token, 'SECRET');
});

test('the logger redacts objects interpolated into the message and grandchild bindings', () => {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  logger.info('connecting with %j', { nats: { token: 'SECRET-1' } });
  logger.child({ a: 1 }).child({ config: { nats: { password: 'SECRET-2' } } }).info('x');
  const text = chunks.join('');
  assert.ok(text.includes('[redacted]'), text);
  assert.equal(text.includes('SECRET-1'), false, text);
  assert.equal(text.includes('SECRET-2'), false, text);
});
