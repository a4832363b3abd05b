import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ComponentOutput } from '../../src/events/event.ts';
import { parseArtifactPath } from '../../src/artifacts/artifact-path.ts';
import {
  type ArtifactSelectionOrder,
  explainArtifactPath,
  resolveArtifactPath,
  resolveRunArtifacts,
} from '../../src/artifacts/resolve-artifact-path.ts';

const OUTPUTS: readonly ComponentOutput[] = [
  { componentName: 'Trainer', outputName: 'model', artifacts: [{ name: 'model', location: 'gs://b/trainer/model/0', metadata: {} }] },
  {
    componentName: 'Pusher',
    outputName: 'pushed_model',
    artifacts: [
      { name: 'pushed_model', location: 'gs://b/pusher/0', metadata: { pushed: 0 } },
      { name: 'pushed_model', location: 'gs://b/pusher/1', metadata: { pushed: 1 } },
      { name: 'pushed_model', location: 'gs://b/pusher/2' },
    ],
  },
  { componentName: 'Evaluator', outputName: 'blessing', artifacts: [] },
  { componentName: 'Evaluator', outputName: 'evaluation', artifacts: [{ name: 'evaluation', location: '' }] },
];

/** [order, path, the location found, or the reason of the miss]. */
const CASES: readonly (readonly [ArtifactSelectionOrder, string, { location: string } | { reason: string | RegExp }])[] = [
  ['index-then-filter', 'Trainer:model', { location: 'gs://b/trainer/model/0' }],
  ['index-then-filter', 'Pusher:pushed_model:1[pushed == 1]', { location: 'gs://b/pusher/1' }],
  ['index-then-filter', 'Pusher:pushed_model:2', { location: 'gs://b/pusher/2' }],
  ['index-then-filter', 'Pusher:pushed_model:0[pushed == 1]', { reason: 'artifact 0 of Pusher:pushed_model does not match the filter: [pushed == 1] is false' }],
  ['index-then-filter', 'Pusher:pushed_model:2[pushed == 1]', { reason: 'artifact 2 of Pusher:pushed_model does not match the filter: [pushed == 1] could not be evaluated: no field pushed' }],
  ['index-then-filter', 'Pusher:pushed_model:3', { reason: 'index 3 out of range (Pusher:pushed_model has 3 artifacts)' }],
  ['index-then-filter', 'Nope:x', { reason: 'no component Nope (components: Trainer, Pusher, Evaluator)' }],
  ['index-then-filter', 'Pusher:model', { reason: 'component Pusher has no output model (outputs: pushed_model)' }],
  ['index-then-filter', 'Evaluator:blessing', { reason: 'index 0 out of range (Evaluator:blessing has 0 artifacts)' }],
  ['index-then-filter', 'Evaluator:evaluation', { reason: 'artifact 0 of Evaluator:evaluation has no location' }],
  ['filter-then-index', 'Pusher:pushed_model:0[pushed == 1]', { location: 'gs://b/pusher/1' }],
  ['filter-then-index', 'Pusher:pushed_model:1[pushed != 7]', { location: 'gs://b/pusher/1' }],
  ['filter-then-index', 'Pusher:pushed_model:1', { location: 'gs://b/pusher/1' }],
  ['filter-then-index', 'Pusher:pushed_model:1[pushed == 1]', { reason: 'index 1 out of range (1 matched)' }],
  ['filter-then-index', 'Pusher:pushed_model[pushed == 7]', { reason: 'filter [pushed == 7] matched 0 of 3 artifacts of Pusher:pushed_model; 1 could not be evaluated (no field pushed)' }],
  ['filter-then-index', 'Trainer:model[pushed == 1]', { reason: /^filter \[pushed == 1\] matched 0 of 1 artifact of Trainer:model; 1 could not be evaluated/ }],
  ['filter-then-index', 'Pusher:pushed_model:3', { reason: 'index 3 out of range (Pusher:pushed_model has 3 artifacts)' }],
  ['filter-then-index', 'Nope:x', { reason: /^no component Nope/ }],
];

describe('resolveArtifactPath', () => {
  for (const [order, path, expected] of CASES) {
    test(`${order}: ${path}`, () => {
      const parsed = parseArtifactPath(path);
      const resolution = explainArtifactPath(parsed, OUTPUTS, { order });
      const artifact = resolveArtifactPath(parsed, OUTPUTS, { order });
      if ('location' in expected) {
        assert.ok(resolution.found, resolution.found ? '' : resolution.reason);
        assert.equal(resolution.artifact.location, expected.location);
        assert.equal(artifact?.location, expected.location);
      } else {
        assert.equal(resolution.found, false);
        assert.match(resolution.found ? '' : resolution.reason, typeof expected.reason === 'string' ? exactly(expected.reason) : expected.reason);
        assert.equal(artifact, undefined);
      }
    });
  }

  test('KFP-Operator order is the default: the index picks, the filter only keeps or drops', () => {
    const parsed = parseArtifactPath('Pusher:pushed_model:0[pushed == 1]');
    assert.equal(resolveArtifactPath(parsed, OUTPUTS), undefined);
    assert.equal(resolveArtifactPath(parsed, OUTPUTS, { order: 'filter-then-index' })?.location, 'gs://b/pusher/1');
  });

  test('a run that reported no outputs says so', () => {
    assert.deepEqual(explainArtifactPath(parseArtifactPath('Pusher:pushed_model'), []), {
      found: false,
      reason: 'no component Pusher (the run reported no components)',
    });
  });
});

describe('resolveRunArtifacts', () => {
  test('returns what resolved and a reason for every miss, in definition order', () => {
    const definitions = [
      { name: 'serving-model', path: 'Pusher:pushed_model:1[pushed == 1]' },
      { name: 'unpushed', path: 'Pusher:pushed_model:0[pushed == 1]' },
      { name: 'model', path: 'Trainer:model' },
      { name: 'typo', path: 'Pusher:pushed_modle' },
      { name: 'broken', path: 'Pusher:pushed_model:x' },
      { name: 'bad-filter', path: 'Pusher:pushed_model[pushed =]' },
    ];
    const { artifacts, misses } = resolveRunArtifacts(definitions, OUTPUTS);
    assert.deepEqual(artifacts, [
      { name: 'serving-model', location: 'gs://b/pusher/1' },
      { name: 'model', location: 'gs://b/trainer/model/0' },
    ]);
    assert.deepEqual(misses, [
      { name: 'unpushed', path: 'Pusher:pushed_model:0[pushed == 1]', reason: 'artifact 0 of Pusher:pushed_model does not match the filter: [pushed == 1] is false' },
      { name: 'typo', path: 'Pusher:pushed_modle', reason: 'component Pusher has no output pushed_modle (outputs: pushed_model)' },
      { name: 'broken', path: 'Pusher:pushed_model:x', reason: 'invalid artifact path: index must be digits, found "x" at column 21' },
      { name: 'bad-filter', path: 'Pusher:pushed_model[pushed =]', reason: 'invalid artifact path: filter: unexpected character "=" at column 28' },
    ]);
  });

  test('the order option applies to every definition', () => {
    const definitions = [{ name: 'serving-model', path: 'Pusher:pushed_model[pushed == 1]' }];
    assert.deepEqual(resolveRunArtifacts(definitions, OUTPUTS, { order: 'filter-then-index' }).artifacts, [
      { name: 'serving-model', location: 'gs://b/pusher/1' },
    ]);
    assert.equal(resolveRunArtifacts(definitions, OUTPUTS).misses.length, 1);
  });

  test('no definitions, nothing to report', () => {
    assert.deepEqual(resolveRunArtifacts([], OUTPUTS), { artifacts: [], misses: [] });
  });
});

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
