import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { EVENT_FIELDS, runConfigurationSchema, type EventField } from '../../src/config/schema.ts';
import { ParameterError } from '../../src/errors.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { resolveParameters, type ArtifactReference } from '../../src/triggers/resolve-parameters.ts';
import { deliver, payloads, RECEIVED_AT } from '../events/github-examples.ts';

type ParameterInput = z.input<typeof runConfigurationSchema>['parameters'];

function rc(parameters: ParameterInput, namespace = 'ml') {
  return runConfigurationSchema.parse({ name: 'trainer', namespace, template: 'kfp-run', parameters });
}

function parameterError(run: () => unknown): ParameterError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ParameterError, `expected a ParameterError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ParameterError');
}

const tick: RunbridgeEvent = {
  id: 'ml/nightly@2026-03-01T03:00:00Z',
  source: 'cron',
  type: 'runbridge.schedule.tick',
  time: '2026-03-01T03:00:00.000Z',
  trigger: 'schedule',
  data: {},
  schedule: { runConfiguration: 'ml/nightly', slot: '2026-03-01T03:00:00.000Z', timezone: 'Europe/London', cron: '0 3 * * *' },
};

const completion: RunbridgeEvent = {
  id: 'ce-42',
  source: 'nats',
  type: 'org.kubeflow.pipelines.run-completion',
  time: '2026-03-01T04:00:00.000Z',
  trigger: 'runConfiguration',
  data: {},
  completion: { status: 'succeeded', runName: 'example-generator-x7k2p', runId: 'run-42', artifacts: [] },
};

const events = {
  push: () => deliver('push', payloads.branchPush()),
  tag: () => deliver('push', payloads.tagPush()),
  synchronize: () => deliver('pull_request', payloads.pullRequest('synchronize')),
  release: () => deliver('release', payloads.release('published')),
};

const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const fieldCases: { field: EventField; event: () => RunbridgeEvent; value: string }[] = [
  { field: 'id', event: events.push, value: 'delivery-push' },
  { field: 'source', event: events.push, value: 'github' },
  { field: 'type', event: events.push, value: 'github.push' },
  { field: 'time', event: events.push, value: RECEIVED_AT.toISOString() },
  { field: 'trigger', event: events.push, value: 'git' },
  { field: 'repository', event: events.push, value: 'Codertocat/Hello-World' },
  { field: 'repositoryUrl', event: events.push, value: 'https://github.com/Codertocat/Hello-World' },
  { field: 'ref', event: events.push, value: 'refs/heads/master' },
  { field: 'branch', event: events.push, value: 'master' },
  { field: 'tag', event: events.tag, value: 'simple-tag' },
  { field: 'sha', event: events.push, value: SHA },
  { field: 'shortSha', event: events.push, value: '6113728' },
  { field: 'before', event: events.synchronize, value: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' },
  { field: 'actor', event: events.push, value: 'Codertocat' },
  { field: 'action', event: events.synchronize, value: 'synchronize' },
  { field: 'pullRequestNumber', event: events.synchronize, value: '2' },
  { field: 'pullRequestTitle', event: events.synchronize, value: 'Update the README with new information.' },
  { field: 'pullRequestHeadRef', event: events.synchronize, value: 'changes' },
  { field: 'pullRequestBaseRef', event: events.synchronize, value: 'master' },
  { field: 'pullRequestHeadSha', event: events.synchronize, value: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' },
  { field: 'pullRequestMerged', event: events.synchronize, value: 'false' },
  { field: 'pullRequestFromFork', event: events.synchronize, value: 'false' },
  { field: 'forge', event: events.push, value: 'github' },
  { field: 'releaseTag', event: events.release, value: '0.0.1' },
  { field: 'scheduledTime', event: () => tick, value: '2026-03-01T03:00:00.000Z' },
  { field: 'upstreamRunName', event: () => completion, value: 'example-generator-x7k2p' },
  { field: 'upstreamRunId', event: () => completion, value: 'run-42' },
  { field: 'upstreamStatus', event: () => completion, value: 'succeeded' },
];

describe('resolveParameters: event fields', () => {
  test('every EVENT_FIELDS entry is covered here', () => {
    assert.deepEqual(fieldCases.map((c) => c.field).sort(), [...EVENT_FIELDS].sort());
  });

  for (const c of fieldCases) {
    test(`${c.field} resolves`, () => {
      const resolved = resolveParameters(rc([{ name: 'p', valueFrom: { event: c.field } }]), c.event());
      assert.deepEqual(resolved.parameters, [{ name: 'p', value: c.value }]);
    });
  }

  const missing: { field: EventField; event: () => RunbridgeEvent }[] = [
    { field: 'pullRequestNumber', event: events.push },
    { field: 'tag', event: events.push },
    { field: 'before', event: events.push },
    { field: 'branch', event: () => tick },
    { field: 'scheduledTime', event: events.push },
    { field: 'upstreamRunId', event: () => tick },
  ];
  for (const c of missing) {
    test(`${c.field} missing from ${c.event().type} is an error, or the default`, () => {
      const event = c.event();
      const error = parameterError(() => resolveParameters(rc([{ name: 'x', valueFrom: { event: c.field } }]), event));
      assert.equal(error.message, `Unable to resolve parameters: parameter "x": event has no ${c.field} (${event.type})`);
      const resolved = resolveParameters(rc([{ name: 'x', valueFrom: { event: c.field }, default: 'none' }]), event);
      assert.deepEqual(resolved.params, { x: 'none' });
    });
  }
});

describe('resolveParameters: payload paths', () => {
  const pr = () => deliver('pull_request', payloads.pullRequest('opened'));
  const values: [string, () => RunbridgeEvent, string][] = [
    ['pull_request.head.repo.full_name', pr, 'Codertocat/Hello-World'],
    ['pull_request.number', pr, '2'],
    ['pull_request.draft', pr, 'false'],
    ['commits[0].id', events.push, SHA],
    ['commits[0].added[0]', events.push, 'README.md'],
  ];
  for (const [path, event, value] of values) {
    test(`${path} resolves to ${value}`, () => {
      assert.deepEqual(resolveParameters(rc([{ name: 'p', valueFrom: { payload: path } }]), event()).params, { p: value });
    });
  }

  const problems: [string, () => RunbridgeEvent, string][] = [
    ['pull_request.head', pr, 'payload pull_request.head is an object, not a string (github.pull_request)'],
    ['pull_request.labels', pr, 'payload pull_request.labels is an array, not a string (github.pull_request)'],
    ['pull_request.merged_at', pr, 'payload has no pull_request.merged_at (github.pull_request)'],
    ['commits[5].id', events.push, 'payload has no commits[5].id (github.push)'],
    ['__proto__', events.push, 'payload has no __proto__ (github.push)'],
    ['constructor.prototype', events.push, 'payload has no constructor.prototype (github.push)'],
    ['repository.constructor.name', events.push, 'payload has no repository.constructor.name (github.push)'],
    ['commits..id', events.push, 'invalid payload path "commits..id": expected keys joined by "." with optional [n] indexes'],
  ];
  for (const [path, event, message] of problems) {
    test(`${path} is an error`, () => {
      const error = parameterError(() => resolveParameters(rc([{ name: 'p', valueFrom: { payload: path } }]), event()));
      assert.equal(error.message, `Unable to resolve parameters: parameter "p": ${message}`);
    });
  }

  test('a missing or null leaf takes the default; prototype segments do too', () => {
    const resolved = resolveParameters(
      rc([
        { name: 'merged', valueFrom: { payload: 'pull_request.merged_at' }, default: 'never' },
        { name: 'proto', valueFrom: { payload: 'constructor.prototype' }, default: 'safe' },
      ]),
      pr(),
    );
    assert.deepEqual(resolved.params, { merged: 'never', proto: 'safe' });
  });

  test('an object leaf is an error even with a default', () => {
    const error = parameterError(() =>
      resolveParameters(rc([{ name: 'p', valueFrom: { payload: 'pull_request' }, default: 'x' }]), pr()),
    );
    assert.match(error.message, /payload pull_request is an object, not a string/);
  });
});

describe('resolveParameters: upstream artifacts', () => {
  function recording(values: Record<string, string>) {
    const calls: ArtifactReference[] = [];
    const resolveArtifact = (ref: ArtifactReference) => {
      calls.push(ref);
      return values[`${ref.name}:${ref.outputArtifact}`];
    };
    return { calls, resolveArtifact };
  }

  test('qualifies bare names with the namespace and passes the reference through', () => {
    const { calls, resolveArtifact } = recording({ 'ml/example-generator:examples': 'gs://b/examples', 'shared/schema-gen:schema': 'gs://b/schema' });
    const resolved = resolveParameters(
      rc([
        { name: 'examples', valueFrom: { runConfigurationRef: { name: 'example-generator', outputArtifact: 'examples' } } },
        { name: 'schema', valueFrom: { runConfigurationRef: { name: 'shared/schema-gen', outputArtifact: 'schema', optional: true } } },
      ]),
      completion,
      { resolveArtifact },
    );
    assert.deepEqual(calls, [
      { name: 'ml/example-generator', outputArtifact: 'examples', optional: false },
      { name: 'shared/schema-gen', outputArtifact: 'schema', optional: true },
    ]);
    assert.deepEqual(resolved.params, { examples: 'gs://b/examples', schema: 'gs://b/schema' });
    assert.deepEqual(resolved.omitted, []);
  });

  test('an optional artifact that is missing is omitted', () => {
    const { resolveArtifact } = recording({});
    const resolved = resolveParameters(
      rc([
        { name: 'seed', value: '7' },
        { name: 'schema', valueFrom: { runConfigurationRef: { name: 'schema-gen', outputArtifact: 'schema', optional: true } } },
      ]),
      completion,
      { resolveArtifact },
    );
    assert.deepEqual(resolved, { params: { seed: '7' }, parameters: [{ name: 'seed', value: '7' }], omitted: ['schema'] });
  });

  test('a required artifact that is missing names upstream and artifact', () => {
    const error = parameterError(() =>
      resolveParameters(rc([{ name: 'examples', valueFrom: { runConfigurationRef: { name: 'example-generator', outputArtifact: 'examples' } } }]), completion, recording({})),
    );
    assert.equal(error.message, 'Unable to resolve parameters: parameter "examples": upstream ml/example-generator has no artifact examples');
    assert.equal(error.status, 422);
  });

  test('without a resolver every artifact is missing', () => {
    const error = parameterError(() =>
      resolveParameters(rc([{ name: 'm', valueFrom: { runConfigurationRef: { name: 'a/b', outputArtifact: 'model' } } }]), completion),
    );
    assert.equal(error.message, 'Unable to resolve parameters: parameter "m": upstream a/b has no artifact model');
  });
});

describe('resolveParameters', () => {
  test('static values, in declaration order', () => {
    const resolved = resolveParameters(rc([{ name: 'b', value: '2' }, { name: 'a', value: '1' }]), events.push());
    assert.deepEqual(resolved.parameters, [{ name: 'b', value: '2' }, { name: 'a', value: '1' }]);
    assert.deepEqual(Object.keys(resolved.params), ['b', 'a']);
  });

  test('reports every missing parameter in one error', () => {
    const event = events.push();
    const error = parameterError(() =>
      resolveParameters(
        rc([
          { name: 'sha', valueFrom: { event: 'sha' } },
          { name: 'pr', valueFrom: { event: 'pullRequestNumber' } },
          { name: 'title', valueFrom: { payload: 'pull_request.title' } },
          { name: 'examples', valueFrom: { runConfigurationRef: { name: 'gen', outputArtifact: 'examples' } } },
        ]),
        event,
      ),
    );
    assert.equal(
      error.message,
      'Unable to resolve parameters: parameter "pr": event has no pullRequestNumber (github.push); ' +
        'parameter "title": payload has no pull_request.title (github.push); ' +
        'parameter "examples": upstream ml/gen has no artifact examples',
    );
    assert.deepEqual(error.details?.['problems'], [
      { parameter: 'pr', message: 'parameter "pr": event has no pullRequestNumber (github.push)' },
      { parameter: 'title', message: 'parameter "title": payload has no pull_request.title (github.push)' },
      { parameter: 'examples', message: 'parameter "examples": upstream ml/gen has no artifact examples' },
    ]);
    assert.equal(error.details?.['runConfiguration'], 'ml/trainer');
    assert.equal(error.details?.['eventId'], event.id);
  });

  test('a parameter named __proto__ is a plain entry', () => {
    const resolved = resolveParameters(rc([{ name: '__proto__', value: 'x' }, { name: 'constructor', value: 'y' }]), events.push());
    assert.equal(Object.getPrototypeOf(resolved.params), Object.prototype);
    assert.ok(Object.hasOwn(resolved.params, '__proto__'));
    assert.equal(resolved.params['constructor'], 'y');
    assert.equal(({} as Record<string, unknown>)['x'], undefined);
  });

  test('manual overrides replace declared parameters', () => {
    const manual: RunbridgeEvent = {
      id: 'm-1',
      source: 'manual',
      type: 'runbridge.manual',
      time: '2026-03-01T05:00:00.000Z',
      trigger: 'manual',
      data: {},
      manual: { params: { sha: 'abc1234', undeclared: 'ignored' } },
    };
    const resolved = resolveParameters(
      rc([
        { name: 'sha', valueFrom: { event: 'sha' } },
        { name: 'mode', value: 'full' },
      ]),
      manual,
    );
    assert.deepEqual(resolved.params, { sha: 'abc1234', mode: 'full' });
  });
});
