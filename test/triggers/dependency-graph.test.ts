import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyEdges, downstreamsOf, findCycles, formatCycle, upstreamsOf, type DependencyNode } from '../../src/triggers/dependency-graph.ts';

const node = (key: string, ...upstreams: string[]): DependencyNode => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name, triggers: { runConfigurations: upstreams } };
};

describe('findCycles', () => {
  const cases: { name: string; nodes: DependencyNode[]; cycles: string[][] }[] = [
    { name: 'no edges', nodes: [node('ml/a'), node('ml/b')], cycles: [] },
    { name: 'a chain', nodes: [node('ml/a'), node('ml/b', 'a'), node('ml/c', 'b')], cycles: [] },
    {
      name: 'a diamond',
      nodes: [node('ml/top'), node('ml/left', 'top'), node('ml/right', 'top'), node('ml/bottom', 'left', 'right')],
      cycles: [],
    },
    { name: 'a self-loop', nodes: [node('ml/a', 'a')], cycles: [['ml/a', 'ml/a']] },
    { name: 'a 2-cycle', nodes: [node('ml/a', 'b'), node('ml/b', 'a')], cycles: [['ml/a', 'ml/b', 'ml/a']] },
    {
      name: 'a 3-cycle across namespaces',
      nodes: [node('ml/trainer', 'data/examples'), node('data/examples', 'ops/schema'), node('ops/schema', 'ml/trainer')],
      cycles: [['data/examples', 'ops/schema', 'ml/trainer', 'data/examples']],
    },
    {
      name: 'two separate cycles and an innocent bystander',
      nodes: [node('ml/a', 'b'), node('ml/b', 'a'), node('ml/c', 'c'), node('ml/d', 'a')],
      cycles: [['ml/a', 'ml/b', 'ml/a'], ['ml/c', 'ml/c']],
    },
    {
      name: 'a bare name is the same namespace, not another one',
      nodes: [node('ml/a', 'b'), node('ops/b', 'ml/a')],
      cycles: [],
    },
    { name: 'an unknown upstream', nodes: [node('ml/a', 'ghost')], cycles: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(findCycles(dependencyEdges(c.nodes)), c.cycles);
    });
  }

  test('every cycle through a shared node is found', () => {
    const cycles = findCycles(dependencyEdges([node('ml/hub', 'x', 'y'), node('ml/x', 'hub'), node('ml/y', 'hub')]));
    assert.deepEqual(cycles, [['ml/hub', 'ml/x', 'ml/hub'], ['ml/hub', 'ml/y', 'ml/hub']]);
  });

  test('is deterministic whatever the insertion order', () => {
    const nodes = [node('ml/c', 'a'), node('ml/b', 'c'), node('ml/a', 'b')];
    const expected = [['ml/a', 'ml/b', 'ml/c', 'ml/a']];
    assert.deepEqual(findCycles(dependencyEdges(nodes)), expected);
    assert.deepEqual(findCycles(dependencyEdges([...nodes].reverse())), expected);
  });

  test('a long chain does not overflow', () => {
    const nodes = Array.from({ length: 2000 }, (_, i) => (i === 0 ? node('ml/n0') : node(`ml/n${i}`, `n${i - 1}`)));
    assert.deepEqual(findCycles(dependencyEdges(nodes)), []);
  });

  test('formats a cycle for humans', () => {
    assert.equal(formatCycle(['ml/a', 'ops/b', 'ml/a']), 'ml/a → ops/b → ml/a');
  });
});

describe('upstreamsOf and downstreamsOf', () => {
  const trainer = node('ml/trainer', 'example-generator', 'shared/schema-gen');
  const pusher = node('ml/pusher', 'trainer');
  const other = node('ops/trainer');
  const all = [trainer, pusher, other];

  test('upstreams are qualified with the downstream namespace', () => {
    assert.deepEqual(upstreamsOf(trainer), ['ml/example-generator', 'shared/schema-gen']);
  });

  test('downstreams of an upstream key', () => {
    assert.deepEqual(downstreamsOf(all, 'ml/trainer'), [pusher]);
    assert.deepEqual(downstreamsOf(all, 'shared/schema-gen'), [trainer]);
    assert.deepEqual(downstreamsOf(all, 'ops/trainer'), []);
  });
});
