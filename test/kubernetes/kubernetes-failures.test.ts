import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { SinkError } from '../../src/errors.ts';
import { backoffDelay, DEFAULT_BACKOFF } from '../../src/kubernetes/backoff-delay.ts';
import { classifyFailure } from '../../src/kubernetes/classify-failure.ts';
import { describeApiStatus, readApiStatus } from '../../src/kubernetes/read-api-status.ts';
import { parseRetryAfter } from '../../src/kubernetes/retry-after.ts';
import { toSinkError } from '../../src/sinks/kubernetes/to-sink-error.ts';

/** A Status body as the API server sends it (client-node 2.x passes the raw text). */
function statusBody(code: number, reason: string, message: string, causes?: Array<{ field?: string; message: string; reason?: string }>): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(causes ? { details: { causes } } : {}) });
}

function apiError(code: number, body: unknown, headers: Record<string, string> = {}): ApiException<unknown> {
  return new ApiException(code, 'Unknown API Status Code!', body, { 'content-type': 'application/json', ...headers });
}

/** The error fetch (undici, like client-node) really throws for a port nobody listens on. */
async function refusedError(): Promise<unknown> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return fetch(`http://127.0.0.1:${port}/version`).then(
    () => assert.fail('expected a connection error'),
    (error: unknown) => error,
  );
}

/** The error fetch throws when the server accepts and then drops the connection. */
async function hangUpError(): Promise<unknown> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    return await fetch(`http://127.0.0.1:${port}/version`).then(
      () => assert.fail('expected a connection error'),
      (error: unknown) => error,
    );
  } finally {
    server.close();
  }
}

describe('classifyFailure', () => {
  const retried: Array<[number, string]> = [
    [429, 'TooManyRequests'],
    [500, 'InternalError'],
    [502, 'BadGateway'],
    [503, 'ServiceUnavailable'],
    [504, 'Timeout'],
  ];
  for (const [code, reason] of retried) {
    test(`HTTP ${code} is retryable`, () => {
      const failure = classifyFailure(apiError(code, statusBody(code, reason, `server says ${code}`)), 0);
      assert.deepEqual([failure.retryable, failure.code, failure.reason, failure.message, failure.unreachable], [true, code, reason, `server says ${code}`, false]);
    });
  }

  const refused: Array<[number, string]> = [
    [400, 'BadRequest'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'NotFound'],
    [409, 'AlreadyExists'],
    [409, 'Conflict'],
    [422, 'Invalid'],
  ];
  for (const [code, reason] of refused) {
    test(`HTTP ${code} ${reason} is not retried`, () => {
      const failure = classifyFailure(apiError(code, statusBody(code, reason, `no: ${reason}`)), 0);
      assert.deepEqual([failure.retryable, failure.code, failure.reason, failure.message], [false, code, reason, `no: ${reason}`]);
    });
  }

  test('Retry-After in seconds and as an HTTP date', () => {
    assert.equal(classifyFailure(apiError(429, statusBody(429, 'TooManyRequests', 'slow down'), { 'retry-after': '3' }), 0).retryAfterMs, 3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    const failure = classifyFailure(apiError(503, '', { 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now);
    assert.equal(failure.retryAfterMs, 7000);
  });

  test('connection refused (a real socket) is retryable and marks the server unreachable', async () => {
    const failure = classifyFailure(await refusedError(), 0);
    assert.equal(failure.retryable, true);
    assert.equal(failure.unreachable, true);
    assert.equal(failure.code, undefined);
    assert.match(failure.message, /ECONNREFUSED/);
  });

  test('a dropped connection (a real socket) is retryable', async () => {
    const failure = classifyFailure(await hangUpError(), 0);
    assert.equal(failure.retryable, true);
    assert.equal(failure.unreachable, true);
  });

  const networkErrors: Array<[string, unknown, boolean]> = [
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    ['ETIMEDOUT inside fetch failed', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) }), true],
    ['socket hang up', new Error('socket hang up'), true],
    ['a request timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError'), true],
    ['an untrusted certificate', new TypeError('fetch failed', { cause: Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }), false],
  ];
  for (const [label, error, retryable] of networkErrors) {
    test(`${label}: unreachable, ${retryable ? '' : 'not '}retryable`, () => {
      const failure = classifyFailure(error, 0);
      assert.deepEqual([failure.retryable, failure.unreachable], [retryable, true]);
    });
  }

  test('a programming error is neither retryable nor a network failure', () => {
    const failure = classifyFailure(new TypeError("Cannot read properties of undefined (reading 'x')"), 0);
    assert.deepEqual([failure.retryable, failure.unreachable], [false, false]);
  });
});

describe('readApiStatus', () => {
  test('reads message, reason and field causes of a 422', () => {
    const body = statusBody(422, 'Invalid', 'Run.pipelines.kubeflow.org "x" is invalid: spec.provider: Invalid value: "not a valid provider": spec.provider in body should match \'^[a-z]\'', [
      { reason: 'FieldValueInvalid', field: 'spec.provider', message: 'Invalid value: "not a valid provider": spec.provider in body should match \'^[a-z]\'' },
    ]);
    const status = readApiStatus(422, body);
    assert.equal(status.reason, 'Invalid');
    assert.deepEqual(status.causes, [{ field: 'spec.provider', reason: 'FieldValueInvalid', message: 'Invalid value: "not a valid provider": spec.provider in body should match \'^[a-z]\'' }]);
    assert.equal(describeApiStatus(status), status.message, 'causes the message already spells out are not repeated');
  });

  test('appends causes the message does not mention', () => {
    const status = readApiStatus(422, statusBody(422, 'Invalid', 'Run "x" is invalid', [
      { field: 'spec.params[0].value', message: 'Required value' },
      { message: 'something general' },
    ]));
    assert.equal(describeApiStatus(status), 'Run "x" is invalid (spec.params[0].value: Required value; something general)');
  });

  test('accepts an already parsed body', () => {
    const status = readApiStatus(403, JSON.parse(statusBody(403, 'Forbidden', 'runs is forbidden')));
    assert.deepEqual([status.reason, status.message], ['Forbidden', 'runs is forbidden']);
  });

  const notStatus: Array<[string, unknown, string]> = [
    ['empty text', '', 'HTTP 502'],
    ['undefined', undefined, 'HTTP 502'],
    ['plain text', 'upstream connect error', 'upstream connect error'],
    ['JSON that is not a Status', '{"kind":"Pod"}', '{"kind":"Pod"}'],
    ['a Status without message', '{"kind":"Status","reason":"BadGateway"}', 'HTTP 502'],
  ];
  for (const [label, body, message] of notStatus) {
    test(`a body of ${label} still gives a message`, () => {
      assert.equal(readApiStatus(502, body).message, message);
    });
  }
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const cases: Array<[string | undefined, number | undefined]> = [
    ['0', 0],
    ['1', 1000],
    [' 120 ', 120_000],
    ['Thu, 01 Jan 2026 00:00:02 GMT', 2000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    [undefined, undefined],
    ['', undefined],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(parseRetryAfter(value, now), expected));
  }
});

describe('backoffDelay', () => {
  const options = { ...DEFAULT_BACKOFF, random: () => 1 };
  test('the ceiling doubles from 200 ms and stops at 5 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map((retry) => backoffDelay(retry, options)), [200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  test('full jitter: anywhere from 0 to the ceiling', () => {
    assert.equal(backoffDelay(3, { ...options, random: () => 0 }), 0);
    assert.equal(backoffDelay(3, { ...options, random: () => 0.5 }), 800);
  });

  test('Retry-After is a floor, capped at maxRetryAfterMs', () => {
    assert.equal(backoffDelay(0, { ...options, random: () => 0 }, 2000), 2000);
    assert.equal(backoffDelay(6, options, 1000), 5000, 'a longer backoff wins');
    assert.equal(backoffDelay(0, options, 3_600_000), 30_000);
  });
});

describe('toSinkError', () => {
  const subject = 'pipelines.kubeflow.org/v1beta1 Run ml/penguin';
  test('a refusal keeps the API server status and message', () => {
    for (const [code, reason] of [[400, 'BadRequest'], [403, 'Forbidden'], [409, 'Conflict'], [422, 'Invalid']] as const) {
      const error = toSinkError(classifyFailure(apiError(code, statusBody(code, reason, `server message ${code}`)), 0), subject, 1);
      assert.ok(error instanceof SinkError);
      assert.equal(error.status, code);
      assert.equal(error.retryable, false);
      assert.equal(error.message, `${subject}: server message ${code}`);
    }
  });

  test('retries exhausted on a transient failure: 503, retryable, with the last answer and the attempts', () => {
    const error = toSinkError(classifyFailure(apiError(500, statusBody(500, 'InternalError', 'etcd is sad')), 0), subject, 6);
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.match(error.message, /after 6 attempts: HTTP 500: etcd is sad/);
  });

  test('an unreachable server: 503, retryable', async () => {
    const error = toSinkError(classifyFailure(await refusedError(), 0), subject, 3);
    assert.deepEqual([error.status, error.retryable], [503, true]);
    assert.match(error.message, /ECONNREFUSED/);
  });

  test('anything else: 500, not retryable', () => {
    const error = toSinkError(classifyFailure(new RangeError('bug'), 0), subject, 1);
    assert.deepEqual([error.status, error.retryable], [500, false]);
  });
});
