// Every accepted completion format, and every way a completion can be malformed, with the exact message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CompletionRejectedError, type RejectionReason } from '../../src/sources/completions/completion-rejected-error.ts';
import { parseCompletionMessage } from '../../src/sources/completions/parse-completion-message.ts';
import { binaryHeaders, completionData, EXPECTED_COMPLETION, RUN_COMPLETION, structuredEnvelope } from './fixtures.ts';

const receivedAt = new Date('2025-03-01T03:00:00Z');
const parse = (headers: Record<string, string>, body: string) => parseCompletionMessage({ headers, body }, { transport: 'nats', receivedAt });
const STRUCTURED = { 'content-type': 'application/cloudevents+json' };

describe('accepted formats', () => {
  test('structured CloudEvent (application/cloudevents+json)', () => {
    const event = parse(STRUCTURED, JSON.stringify(structuredEnvelope('evt-1')));
    assert.deepEqual(event, {
      id: 'evt-1',
      source: 'nats',
      type: RUN_COMPLETION,
      time: '2025-03-01T02:41:13.000Z',
      trigger: 'runConfiguration',
      data: completionData(),
      completion: EXPECTED_COMPLETION,
    });
  });

  test('structured CloudEvent sent as plain JSON, or with no headers at all (core NATS)', () => {
    for (const headers of [{ 'content-type': 'application/json; charset=utf-8' }, {}]) {
      const event = parse(headers, JSON.stringify(structuredEnvelope('evt-2')));
      assert.equal(event.id, 'evt-2');
      assert.deepEqual(event.completion, EXPECTED_COMPLETION);
    }
  });

  test("KFP-Operator's bare {\"data\": {...}}: id from runId and status, time from runEndTime", () => {
    const event = parse({}, JSON.stringify({ data: completionData() }));
    assert.equal(event.id, '6f1d2c4e-8a0b-4c55-9a51-3d2f0e1b7c90:succeeded');
    assert.equal(event.time, '2025-03-01T02:41:12.000Z');
    assert.equal(event.type, RUN_COMPLETION);
    assert.deepEqual(event.completion, EXPECTED_COMPLETION);
  });

  test('bare format: a runEndTime with an offset is the same instant in UTC; none leaves the arrival time', () => {
    assert.equal(parse({}, JSON.stringify({ data: completionData({ runEndTime: '2025-03-01T03:41:12+01:00' }) })).time, '2025-03-01T02:41:12.000Z');
    assert.equal(parse({}, JSON.stringify({ data: completionData({ runEndTime: null }) })).time, receivedAt.toISOString());
  });

  test('bare format without runId: the id is a hash of the body, stable across redeliveries', () => {
    const body = JSON.stringify({ data: completionData({ runId: null, runEndTime: null }) });
    const first = parse({}, body);
    assert.match(first.id, /^sha256:[0-9a-f]{32}$/);
    assert.equal(parse({}, body).id, first.id);
    assert.notEqual(parse({}, body.replace('examples/17', 'examples/18')).id, first.id);
    assert.equal(first.time, receivedAt.toISOString());
    assert.equal(first.completion?.runId, undefined);
  });

  test('binary mode: ce-* headers and the data as the body (content type optional)', () => {
    const withType = parse(binaryHeaders('evt-3'), JSON.stringify(completionData()));
    assert.equal(withType.id, 'evt-3');
    assert.equal(withType.time, '2025-03-01T02:41:13.000Z');
    assert.deepEqual(withType.completion, EXPECTED_COMPLETION);
    const { 'content-type': _, ...noType } = binaryHeaders('evt-4');
    assert.deepEqual(parse(noType, JSON.stringify(completionData())).completion, EXPECTED_COMPLETION);
    const upper = Object.fromEntries(Object.entries(binaryHeaders('evt-5')).map(([k, v]) => [k.toUpperCase(), v]));
    assert.equal(parse(upper, JSON.stringify(completionData())).id, 'evt-5');
  });

  test('null for absent (Go nil slices and pointers), servingModelArtifacts accepted and not used', () => {
    const event = parse({}, JSON.stringify({ data: { status: 'failed', runId: 'r1', artifacts: null, servingModelArtifacts: null, runName: null } }));
    assert.deepEqual(event.completion, { status: 'failed', runId: 'r1', artifacts: [] });
  });

  test("runbridge's componentOutputs extension, with metadata", () => {
    const componentOutputs = [
      {
        componentName: 'Pusher',
        outputName: 'pushed_model',
        artifacts: [
          { name: 'pushed_model', location: 'gs://b/m/1', metadata: { pushed: 1 } },
          { name: 'pushed_model', location: 'gs://b/m/2' },
        ],
      },
    ];
    const event = parse(STRUCTURED, JSON.stringify(structuredEnvelope('evt-6', completionData({ componentOutputs }))));
    assert.deepEqual(event.completion?.componentOutputs, componentOutputs);
  });

  test('unknown data fields are ignored, not rejected', () => {
    const event = parse({}, JSON.stringify({ data: completionData({ somethingNew: { a: 1 } }) }));
    assert.deepEqual(event.completion, EXPECTED_COMPLETION);
  });
});

describe('malformed completions are rejected with a reason and an exact message', () => {
  const data = JSON.stringify(completionData());
  const cases: { name: string; headers: Record<string, string>; body: string; reason: RejectionReason; message: string }[] = [
    { name: 'not JSON', headers: {}, body: 'hello', reason: 'not_json', message: 'body is not valid JSON' },
    { name: 'structured, not JSON', headers: STRUCTURED, body: '{"id": ', reason: 'not_json', message: 'body is not valid JSON' },
    { name: 'binary data not JSON', headers: binaryHeaders('b1'), body: 'status=succeeded', reason: 'not_json', message: 'data is not valid JSON' },
    { name: 'a JSON array', headers: {}, body: '[1]', reason: 'not_object', message: 'body must be a JSON object, got a list' },
    {
      name: 'neither CloudEvent nor bare',
      headers: {},
      body: '{"status":"succeeded"}',
      reason: 'unknown_format',
      message: 'body is neither a CloudEvent (no "specversion") nor a bare {"data": {...}} run completion',
    },
    {
      name: 'wrong type',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData(), { type: 'com.example.build.finished' })),
      reason: 'wrong_type',
      message: 'CloudEvent type "com.example.build.finished" is not org.kubeflow.pipelines.run-completion',
    },
    {
      name: 'wrong type, binary',
      headers: binaryHeaders('x', { 'ce-type': 'dev.runbridge.run.submitted' }),
      body: data,
      reason: 'wrong_type',
      message: 'CloudEvent type "dev.runbridge.run.submitted" is not org.kubeflow.pipelines.run-completion',
    },
    {
      name: 'missing status',
      headers: {},
      body: JSON.stringify({ data: completionData({ status: undefined }) }),
      reason: 'invalid_data',
      message: 'data.status: required: one of "succeeded", "failed"',
    },
    {
      name: 'status not succeeded|failed',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData({ status: 'done' }))),
      reason: 'invalid_data',
      message: 'data.status: expected one of "succeeded", "failed", got "done"',
    },
    {
      name: 'artifacts not an array',
      headers: {},
      body: JSON.stringify({ data: completionData({ artifacts: { examples: 'gs://x' } }) }),
      reason: 'invalid_data',
      message: 'data.artifacts: expected a list, got {examples}',
    },
    {
      name: 'an artifact without a location, and a numeric runId: every problem is listed',
      headers: {},
      body: JSON.stringify({ data: completionData({ runId: 42, artifacts: [{ name: 'examples' }] }) }),
      reason: 'invalid_data',
      message: 'data.runId: expected a string, got number 42 (quote it: "42"); data.artifacts[0].location: required (a string)',
    },
    {
      name: 'a runEndTime that is not a time (it orders runs: never taken as the arrival)',
      headers: {},
      body: JSON.stringify({ data: completionData({ runEndTime: 'yesterday' }) }),
      reason: 'invalid_data',
      message: 'data.runEndTime must be an RFC 3339 timestamp, got "yesterday"',
    },
    {
      name: 'a runEndTime in a structured event with its own time',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData({ runEndTime: '2025-03-01T25:00:00Z' }))),
      reason: 'invalid_data',
      message: 'data.runEndTime must be an RFC 3339 timestamp, got "2025-03-01T25:00:00Z"',
    },
    {
      name: 'a runEndTime Date reads but RFC 3339 does not allow, as for the CloudEvent time',
      headers: binaryHeaders('b3'),
      body: JSON.stringify(completionData({ runEndTime: 'March 1, 2025 02:41:12' })),
      reason: 'invalid_data',
      message: 'data.runEndTime must be an RFC 3339 timestamp, got "March 1, 2025 02:41:12"',
    },
    {
      name: 'data not an object',
      headers: {},
      body: '{"data":"succeeded"}',
      reason: 'invalid_data',
      message: 'data: expected a JSON object with the run completion, got a string',
    },
    {
      name: 'binary data not an object',
      headers: binaryHeaders('b2'),
      body: '[]',
      reason: 'invalid_data',
      message: 'data: expected a JSON object with the run completion, got an array',
    },
    {
      name: 'structured without id',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData(), { id: undefined })),
      reason: 'invalid_cloudevent',
      message: 'CloudEvent id is missing',
    },
    {
      name: 'structured with an empty source',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData(), { source: '' })),
      reason: 'invalid_cloudevent',
      message: 'CloudEvent source must be a non-empty string, got ""',
    },
    {
      name: 'spec version 0.3',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData(), { specversion: '0.3' })),
      reason: 'invalid_cloudevent',
      message: 'CloudEvent specversion "0.3" is not supported: use 1.0',
    },
    {
      name: 'an attribute the cloudevents package refuses (schemaurl on a 1.0 event)',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', completionData(), { schemaurl: 'https://example.com/schema' })),
      reason: 'invalid_cloudevent',
      message: 'CloudEvent is invalid: cannot set schemaurl on version 1.0 event',
    },
    {
      name: 'a __proto__ attribute',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x')).replace('{', '{"__proto__":{"validate":1},'),
      reason: 'invalid_cloudevent',
      message: 'CloudEvent attribute "__proto__" is not allowed',
    },
    {
      name: 'binary without ce-id',
      headers: binaryHeaders('x', { 'ce-id': undefined as unknown as string }),
      body: data,
      reason: 'invalid_cloudevent',
      message: 'CloudEvent ce-id header is missing',
    },
    {
      name: 'bad time',
      headers: binaryHeaders('x', { 'ce-time': 'yesterday' }),
      body: data,
      reason: 'invalid_cloudevent',
      message: 'CloudEvent ce-time header must be an RFC 3339 timestamp, got "yesterday"',
    },
    {
      name: 'binary data that is not JSON by its content type',
      headers: binaryHeaders('x', { 'content-type': 'text/plain' }),
      body: data,
      reason: 'content_type',
      message: 'CloudEvent content type "text/plain" is not JSON: run-completion data must be application/json',
    },
    {
      name: 'data_base64',
      headers: STRUCTURED,
      body: JSON.stringify(structuredEnvelope('x', undefined, { data_base64: 'e30=' })),
      reason: 'content_type',
      message: 'CloudEvent data_base64 is not supported: a run completion carries its data as JSON in "data"',
    },
    {
      name: 'a batch',
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: JSON.stringify([structuredEnvelope('x')]),
      reason: 'batch',
      message: 'batched CloudEvents (application/cloudevents-batch+json) are not supported: send one event per message',
    },
  ];

  for (const c of cases) {
    test(c.name, () => {
      assert.throws(
        () => parse(c.headers, c.body),
        (error: unknown) => {
          assert.ok(error instanceof CompletionRejectedError, String(error));
          assert.equal(error.message, c.message);
          assert.equal(error.reason, c.reason);
          assert.equal(error.status, 400);
          assert.equal(error.code, 'RB_MALFORMED');
          return true;
        },
      );
    });
  }
});
