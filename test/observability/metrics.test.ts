/**
 * /metrics over a real socket, from the real daemon: the webhook path increments the received,
 * rejected (by reason) and submitted counters, the duration histograms observe, and every metric
 * family follows the Prometheus naming conventions.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/observability/metrics.ts';
import { rejectionReason } from '../../src/observability/count-rejections.ts';
import { BODY_LIMIT, fixture, sign, startDaemonHarness, type DaemonHarness } from './daemon-harness.ts';
import { parsePrometheusText, type Exposition } from './prometheus-text.ts';

describe('metrics of the webhook path', () => {
  let harness: DaemonHarness;
  let metrics: Exposition;
  const push = fixture('push.json');
  const answers: Record<string, number> = {};

  before(async () => {
    harness = await startDaemonHarness();
    const deliveries: { name: string; send: () => Promise<{ status: number }> }[] = [
      { name: 'created', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-1', body: push }) },
      { name: 'redelivery', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-1', body: push }) },
      { name: 'no match', send: () => harness.deliver({ event: 'pull_request', deliveryId: 'metrics-2', body: fixture('pull-request-opened.json') }) },
      { name: 'ping', send: () => harness.deliver({ event: 'ping', deliveryId: 'metrics-3', body: fixture('ping.json') }) },
      { name: 'wrong secret', send: async () => harness.deliver({ event: 'push', deliveryId: 'metrics-4', body: push, signature: await sign(push, 'not-the-secret') }) },
      { name: 'no signature', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-5', body: push, signature: null }) },
      { name: 'malformed JSON', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-6', body: '{"ref": ' }) },
      { name: 'no event header', send: () => harness.deliver({ deliveryId: 'metrics-7', body: push }) },
      { name: 'wrong content type', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-8', body: push, contentType: 'text/plain' }) },
      { name: 'too large', send: () => harness.deliver({ event: 'push', deliveryId: 'metrics-9', body: `{"pad": "${'x'.repeat(BODY_LIMIT)}"}` }) },
    ];
    for (const d of deliveries) answers[d.name] = (await d.send()).status;
    const response = await harness.get('/metrics');
    assert.equal(response.status, 200);
    metrics = parsePrometheusText(response.text);
  });
  after(() => harness.close());

  test('the deliveries were answered as expected (the counts below depend on it)', () => {
    assert.deepEqual(answers, {
      created: 200,
      redelivery: 200,
      'no match': 200,
      ping: 200,
      'wrong secret': 401,
      'no signature': 401,
      'malformed JSON': 400,
      'no event header': 400,
      'wrong content type': 415,
      'too large': 413,
    });
  });

  test('runbridge_events_received_total counts dispatched events by outcome and rejections', () => {
    const received = (outcome: string) => metrics.value('runbridge_events_received_total', { source: 'github', outcome });
    assert.equal(received('matched'), 2);
    assert.equal(received('no_match'), 1);
    assert.equal(received('rejected'), 6);
    assert.equal(received('failed'), undefined);
  });

  test('runbridge_events_rejected_total counts rejected deliveries by reason', () => {
    const rejected = (reason: string) => metrics.value('runbridge_events_rejected_total', { source: 'github', reason });
    assert.equal(rejected('signature'), 2);
    assert.equal(rejected('malformed'), 2);
    assert.equal(rejected('content_type'), 1);
    assert.equal(rejected('too_large'), 1);
    assert.equal(rejected('not_ready'), undefined);
    const total = metrics.samples.filter((s) => s.name === 'runbridge_events_rejected_total').reduce((sum, s) => sum + s.value, 0);
    assert.equal(total, 6);
  });

  test('runbridge_runs_submitted_total counts the created run and the redelivery', () => {
    assert.equal(metrics.value('runbridge_runs_submitted_total', { kind: 'Run.pipelines.kubeflow.org', outcome: 'created' }), 1);
    assert.equal(metrics.value('runbridge_runs_submitted_total', { kind: 'Run.pipelines.kubeflow.org', outcome: 'existing' }), 1);
  });

  test('the duration histograms observed the dispatched events and the submission', () => {
    assert.equal(metrics.value('runbridge_event_duration_seconds_count', { source: 'github' }), 3);
    assert.equal(metrics.value('runbridge_event_duration_seconds_bucket', { source: 'github', le: '+Inf' }), 3);
    assert.equal(metrics.value('runbridge_submission_duration_seconds_count', { kind: 'Run.pipelines.kubeflow.org' }), 1);
  });

  test('build info and the process metrics are exposed', () => {
    const info = metrics.samples.find((s) => s.name === 'runbridge_build_info');
    assert.equal(info?.value, 1);
    assert.equal(info?.labels['node'], process.version);
    assert.ok((metrics.value('runbridge_process_resident_memory_bytes') ?? 0) > 0);
  });

  test('/metrics answers with the Prometheus text content type', async () => {
    const response = await fetch(`${harness.daemon.internalUrl}/metrics`);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    await response.arrayBuffer();
  });
});

describe('metric names follow the Prometheus conventions', () => {
  // runbridge's own families; prom-client's default process and nodejs metrics keep their
  // well-known names (some nodejs_* gauges end in _total there, which is prom-client's choice).
  const { registry } = createMetrics({ version: 'test', defaultMetrics: false });

  test('every runbridge family is named, typed, documented and labelled as Prometheus recommends', async () => {
    const families = await registry.getMetricsAsJSON();
    const problems: string[] = [];
    for (const family of families) {
      const { name, help } = family;
      const type = String(family.type);
      if (!/^runbridge_[a-z][a-z0-9_]*$/.test(name)) problems.push(`${name}: not snake_case with the runbridge_ prefix`);
      if (!help || help.trim() === '') problems.push(`${name}: no help text`);
      if (type === 'counter' && !name.endsWith('_total')) problems.push(`${name}: a counter must end in _total`);
      if (type !== 'counter' && name.endsWith('_total')) problems.push(`${name}: only counters end in _total`);
      if (type === 'histogram' && !/_(seconds|bytes)$/.test(name)) problems.push(`${name}: a histogram needs a base unit suffix`);
      if (/_(milliseconds|ms|minutes|kilobytes|megabytes)(_|$)/.test(name)) problems.push(`${name}: not in base units`);
      const labels = new Set(((family as { values?: { labels?: Record<string, unknown> }[] }).values ?? []).flatMap((v) => Object.keys(v.labels ?? {})));
      for (const label of labels) if (!/^[a-z][a-z0-9_]*$/.test(label) || label.startsWith('__')) problems.push(`${name}: label ${label}`);
    }
    assert.deepEqual(problems, []);
  });

  test('the documented families exist with their types', async () => {
    const types = Object.fromEntries((await registry.getMetricsAsJSON()).map((f) => [f.name, String(f.type)]));
    assert.deepEqual(
      {
        runbridge_events_received_total: types['runbridge_events_received_total'],
        runbridge_events_rejected_total: types['runbridge_events_rejected_total'],
        runbridge_runs_submitted_total: types['runbridge_runs_submitted_total'],
        runbridge_submission_duration_seconds: types['runbridge_submission_duration_seconds'],
        runbridge_event_duration_seconds: types['runbridge_event_duration_seconds'],
        runbridge_dependency_resolution_failures_total: types['runbridge_dependency_resolution_failures_total'],
        runbridge_artifact_path_misses_total: types['runbridge_artifact_path_misses_total'],
        runbridge_schedule_slots_total: types['runbridge_schedule_slots_total'],
        runbridge_nats_connected: types['runbridge_nats_connected'],
        runbridge_completions_rejected_total: types['runbridge_completions_rejected_total'],
        runbridge_build_info: types['runbridge_build_info'],
      },
      {
        runbridge_events_received_total: 'counter',
        runbridge_events_rejected_total: 'counter',
        runbridge_runs_submitted_total: 'counter',
        runbridge_submission_duration_seconds: 'histogram',
        runbridge_event_duration_seconds: 'histogram',
        runbridge_dependency_resolution_failures_total: 'counter',
        runbridge_artifact_path_misses_total: 'counter',
        runbridge_schedule_slots_total: 'counter',
        runbridge_nats_connected: 'gauge',
        runbridge_completions_rejected_total: 'counter',
        runbridge_build_info: 'gauge',
      },
    );
  });

  test('rejection reasons by status', () => {
    const table: [number, string][] = [
      [400, 'malformed'],
      [401, 'signature'],
      [413, 'too_large'],
      [415, 'content_type'],
      [503, 'not_ready'],
      [405, 'method_not_allowed'],
      [500, 'internal'],
      [418, 'other'],
    ];
    for (const [status, reason] of table) assert.equal(rejectionReason(status), reason, `status ${status}`);
  });
});
