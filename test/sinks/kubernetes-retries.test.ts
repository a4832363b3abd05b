import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { DEFAULT_BACKOFF } from '../../src/kubernetes/backoff-delay.ts';
import { createTokenBucket } from '../../src/kubernetes/token-bucket.ts';
import { withRetries, type RetryOptions } from '../../src/kubernetes/with-retries.ts';

function status(code: number, reason: string, message: string, headers: Record<string, string> = {}): ApiException<string> {
  return new ApiException(code, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', code, reason, message }), headers);
}

/** Retry options with a recorded sleep that takes no time. */
function recording(maxAttempts: number, random = () => 1) {
  const sleeps: number[] = [];
  const attempts: number[] = [];
  const options: RetryOptions = {
    maxAttempts,
    limiter: createTokenBucket({ qps: 1000, burst: 1000 }),
    backoff: { ...DEFAULT_BACKOFF, random },
    clock: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onAttempt: (attempt) => attempts.push(attempt),
  };
  return { options, sleeps, attempts };
}

/** An operation that fails with the given errors in turn, then succeeds. */
function failingThen<T>(errors: unknown[], value: T): () => Promise<T> {
  let call = 0;
  return async () => {
    const error = errors[call++];
    if (error !== undefined) throw error;
    return value;
  };
}

describe('withRetries', () => {
  test('retries 503, 429 and a reset connection, then returns the value', async () => {
    const { options, sleeps, attempts } = recording(6);
    const outcome = await withRetries(
      failingThen([status(503, 'ServiceUnavailable', 'starting'), status(429, 'TooManyRequests', 'slow'), Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })], 'created'),
      options,
    );
    assert.deepEqual(outcome, { ok: true, value: 'created', attempts: 4 });
    assert.deepEqual(attempts, [1, 2, 3, 4]);
    assert.deepEqual(sleeps, [200, 400, 800], 'exponential ceilings (random = 1)');
  });

  test('waits at least what Retry-After asks', async () => {
    const { options, sleeps } = recording(3, () => 0);
    const outcome = await withRetries(failingThen([status(429, 'TooManyRequests', 'slow', { 'retry-after': '2' })], 'ok'), options);
    assert.equal(outcome.ok, true);
    assert.deepEqual(sleeps, [2000]);
  });

  test('stops after maxAttempts with the last failure', async () => {
    const { options, attempts, sleeps } = recording(3);
    const errors = [status(500, 'InternalError', 'one'), status(502, 'BadGateway', 'two'), status(503, 'ServiceUnavailable', 'three'), status(503, 'ServiceUnavailable', 'never sent')];
    const outcome = await withRetries(failingThen(errors, 'never'), options);
    assert.equal(outcome.ok, false);
    assert.equal(outcome.attempts, 3);
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(sleeps.length, 2, 'no sleep after the last attempt');
    if (!outcome.ok) assert.deepEqual([outcome.failure.code, outcome.failure.message], [503, 'three']);
  });

  for (const [code, reason] of [[400, 'BadRequest'], [403, 'Forbidden'], [404, 'NotFound'], [409, 'AlreadyExists'], [422, 'Invalid']] as const) {
    test(`${code} ${reason}: exactly one attempt`, async () => {
      const { options, attempts, sleeps } = recording(6);
      const outcome = await withRetries(failingThen([status(code, reason, 'no')], 'never'), options);
      assert.equal(outcome.ok, false);
      assert.deepEqual(attempts, [1]);
      assert.deepEqual(sleeps, []);
    });
  }

  test('takes a token from the limiter before every attempt', async () => {
    let taken = 0;
    const { options } = recording(4);
    const outcome = await withRetries(failingThen([status(503, 'ServiceUnavailable', 'a'), status(503, 'ServiceUnavailable', 'b')], 'ok'), {
      ...options,
      limiter: { take: async () => void taken++ },
    });
    assert.equal(outcome.ok, true);
    assert.equal(taken, 3);
  });
});
