import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderError } from '../../src/errors.ts';
import { labelSafe } from '../../src/render/label-safe.ts';
import { renderRun } from '../../src/render/render-run.ts';
import { runIdentity, runName } from '../../src/render/run-name.ts';
import { contextWith, DELIVERY_ID, provenanceOf } from './render-fixtures.ts';
import { compileProbe } from './probe.ts';

const TEMPLATE = compileProbe(
  `apiVersion: example.dev/v1
kind: Probe
metadata:
  generateName: {{dns1123 runConfiguration.name 40}}-
  namespace: somewhere-else
  labels:
    team: from-template
    tier: {{labelValue params.tier}}
    runbridge.dev/trigger: forged
  annotations:
    note: {{params.note}}
    runbridge.dev/event-id: forged
spec: {}
`,
  'probe-run',
);

const ctx = contextWith([
  { name: 'tier', value: 'gold' },
  { name: 'note', value: 'multi\nline: "note"' },
]);

describe('renderRun', () => {
  const run = renderRun(TEMPLATE, ctx, provenanceOf(ctx));

  test('names the run deterministically from generateName, the run configuration and the event', () => {
    assert.equal(run.metadata.name, runName('penguin-training', runIdentity('ml-pipelines/penguin-training', DELIVERY_ID)));
    assert.equal(run.metadata.generateName, undefined);
    assert.equal(renderRun(TEMPLATE, ctx, provenanceOf(ctx)).metadata.name, run.metadata.name);
  });

  test("sets the run configuration's namespace whatever the template says", () => {
    assert.equal(run.metadata.namespace, 'ml-pipelines');
  });

  test('merges template, configured and provenance labels; provenance wins', () => {
    assert.deepEqual(run.metadata.labels, {
      team: 'ml',
      tier: 'gold',
      'runbridge.dev/trigger': 'git',
      'runbridge.dev/run-configuration': 'penguin-training',
      'runbridge.dev/event-id': DELIVERY_ID,
      'runbridge.dev/source': 'github',
      'app.kubernetes.io/managed-by': 'runbridge',
    });
  });

  test('stamps provenance annotations with the full values', () => {
    assert.deepEqual(run.metadata.annotations, {
      note: 'multi\nline: "note"',
      'runbridge.dev/event-id': DELIVERY_ID,
      'example.com/owner': 'ml-platform',
      'runbridge.dev/run-configuration': 'ml-pipelines/penguin-training',
      'runbridge.dev/event-type': 'github.push',
      'runbridge.dev/source': 'github',
    });
  });

  test('an event id that is not a label value is label-safe in the label and whole in the annotation', () => {
    const id = 'ml-pipelines/penguin-training@2024-01-01T03:00:00.000Z';
    const tick = contextWith(undefined, {
      event: { id, source: 'cron', type: 'runbridge.schedule.tick', time: '2024-01-01T03:00:00.000Z', trigger: 'schedule' },
    });
    const manifest = renderRun(compileProbe('apiVersion: v1\nkind: Probe\nmetadata: {}\n'), tick, provenanceOf(tick));
    assert.equal(manifest.metadata.labels?.['runbridge.dev/event-id'], labelSafe(id));
    assert.equal(manifest.metadata.annotations?.['runbridge.dev/event-id'], id);
    assert.equal(manifest.metadata.labels?.['runbridge.dev/trigger'], 'schedule');
    assert.equal(manifest.metadata.name, tick.name);
  });

  test('different events give different names; different run configurations too', () => {
    const other = contextWith(undefined, { event: { ...ctx.event, id: 'another' } });
    assert.notEqual(renderRun(TEMPLATE, other, provenanceOf(other)).metadata.name, run.metadata.name);
    const otherRc = contextWith(undefined, { runConfiguration: { name: 'penguin-training', namespace: 'other' } });
    assert.notEqual(renderRun(TEMPLATE, otherRc, provenanceOf(otherRc)).metadata.name, run.metadata.name);
  });

  test('refuses a context and provenance for different runs', () => {
    assert.throws(() => renderRun(TEMPLATE, ctx, { ...provenanceOf(ctx), event: { ...provenanceOf(ctx).event, id: 'x' } }), RenderError);
  });
});

describe('invalid labels and annotations are render errors naming the entry', () => {
  const cases: [string, string, Record<string, string>, RegExp][] = [
    ['a value that is not a label value', 'tier: {{params.v}}', { v: 'not valid!' }, /template probe-labels: label "tier": "not valid!" is not a valid label value/],
    ['a too long value', 'tier: {{params.v}}', { v: 'a'.repeat(64) }, /label "tier"/],
    ['a key filled from a value', '{{params.v}}: x', { v: 'Bad Key' }, /label "Bad Key": not a valid label key/],
    ['a __proto__ key', '{{params.v}}: x', { v: '__proto__' }, /label "__proto__": not a valid label key/],
    ['a mapping as a value', 'tier: {a: 1}', {}, /metadata.labels\["tier"\] must be text/],
  ];
  for (const [name, line, params, message] of cases) {
    test(name, () => {
      const template = compileProbe(`apiVersion: v1\nkind: Probe\nmetadata:\n  labels:\n    ${line}\n`, 'probe-labels');
      const c = contextWith(Object.entries(params).map(([n, value]) => ({ name: n, value })));
      assert.throws(
        () => renderRun(template, c, provenanceOf(c)),
        (error: unknown) => error instanceof RenderError && message.test(error.message),
      );
    });
  }

  test('an invalid configured label', () => {
    const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata: {}\n', 'probe-labels');
    assert.throws(() => renderRun(template, ctx, { ...provenanceOf(ctx), labels: { 'bad key!': 'x' } }), /label "bad key!"/);
  });

  test('numbers and booleans written as label values become text', () => {
    const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata:\n  labels:\n    n: 3\n    b: true\n', 'probe-labels');
    const labels = renderRun(template, ctx, provenanceOf(ctx)).metadata.labels;
    assert.equal(labels?.n, '3');
    assert.equal(labels?.b, 'true');
  });
});

test('annotations beyond Kubernetes’ 256 KiB total are a render error', () => {
  const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata:\n  annotations:\n    big: {{params.big}}\n', 'probe-annotations');
  const c = contextWith([{ name: 'big', value: 'é'.repeat(140 * 1024) }]);
  assert.throws(() => renderRun(template, c, provenanceOf(c)), /annotations total \d+ bytes/);
  const fits = contextWith([{ name: 'big', value: 'a'.repeat(200 * 1024) }]);
  assert.equal(renderRun(template, fits, provenanceOf(fits)).metadata.annotations?.big?.length, 200 * 1024);
});
