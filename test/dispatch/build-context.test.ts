import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunConfiguration } from '../../src/config/schema.ts';
import { buildContext } from '../../src/dispatch/build-context.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';

const rc = {
  name: 'trainer',
  namespace: 'ml',
  labels: { team: 'ml' },
  annotations: { note: 'x' },
  artifacts: [{ name: 'model', path: 'train:model:0' }],
} as unknown as RunConfiguration;
const now = new Date('2026-01-15T00:00:02Z');
const base = { params: { a: '1' }, parameters: [{ name: 'a', value: '1' }], name: 'trainer-0123456789', now };

test('a completion: the upstream run with its artifacts, fields in the documented order', () => {
  const event: RunbridgeEvent = {
    id: 'run-1-id:succeeded',
    source: 'nats',
    type: 'org.kubeflow.pipelines.run-completion',
    time: '2026-01-15T00:00:01.000Z',
    trigger: 'runConfiguration',
    data: {},
    completion: {
      status: 'succeeded',
      runConfigurationName: 'ml/upstream',
      runName: 'upstream-1',
      runId: 'run-1-id',
      artifacts: [
        { name: 'out', location: 's3://b/1' },
        { name: '__proto__', location: 's3://b/p' },
      ],
    },
  };
  const context = buildContext({ rc, event, ...base });
  assert.deepEqual(Object.keys(context), ['runConfiguration', 'params', 'parameters', 'labels', 'annotations', 'artifacts', 'event', 'upstream', 'name', 'now']);
  assert.deepEqual(context.runConfiguration, { name: 'trainer', namespace: 'ml' });
  assert.deepEqual(context.event, { id: event.id, source: 'nats', type: event.type, time: event.time, trigger: 'runConfiguration' });
  assert.equal(context.name, 'trainer-0123456789');
  assert.equal(context.now, '2026-01-15T00:00:02.000Z');
  assert.equal(context.labels, rc.labels);
  assert.equal(context.artifacts, rc.artifacts);
  const upstream = context.upstream!;
  assert.deepEqual(Object.keys(upstream), ['status', 'artifacts', 'runConfiguration', 'runName', 'runId']);
  assert.deepEqual(upstream, { status: 'succeeded', artifacts: Object.fromEntries([['out', 's3://b/1'], ['__proto__', 's3://b/p']]), runConfiguration: 'ml/upstream', runName: 'upstream-1', runId: 'run-1-id' });
  assert.ok(Object.hasOwn(upstream.artifacts, '__proto__'));
  assert.equal(Object.getPrototypeOf(upstream.artifacts), Object.prototype);
});

test('a completion without run facts: only status and artifacts', () => {
  const event: RunbridgeEvent = { id: 'e', source: 'http', type: 't', time: 't0', trigger: 'runConfiguration', data: {}, completion: { status: 'failed', runName: '', artifacts: [] } };
  const context = buildContext({ rc, event, ...base });
  assert.deepEqual(Object.keys(context.upstream!), ['status', 'artifacts']);
  assert.deepEqual(context.upstream, { status: 'failed', artifacts: {} });
});

test('git and schedule facts come before the name; no upstream without a completion', () => {
  const git = { provider: 'github', event: 'push', viaPush: true, kind: 'push', repository: 'o/r' } as NonNullable<RunbridgeEvent['git']>;
  const schedule = { runConfiguration: 'ml/trainer', slot: '2026-01-15T00:00:00.000Z', timezone: 'UTC', cron: '* * * * *' };
  const event: RunbridgeEvent = { id: 'd', source: 'github', type: 'github.push', time: 't1', trigger: 'git', data: {}, git, schedule };
  const context = buildContext({ rc, event, ...base });
  assert.deepEqual(Object.keys(context), ['runConfiguration', 'params', 'parameters', 'labels', 'annotations', 'artifacts', 'event', 'git', 'schedule', 'name', 'now']);
  assert.equal(context.git, git);
  assert.equal(context.schedule, schedule);
  const plain = buildContext({ rc, event: { id: 'm', source: 'manual', type: 'manual', time: 't2', trigger: 'manual', data: {} }, ...base });
  assert.deepEqual(Object.keys(plain), ['runConfiguration', 'params', 'parameters', 'labels', 'annotations', 'artifacts', 'event', 'name', 'now']);
  assert.equal('upstream' in plain, false);
});
