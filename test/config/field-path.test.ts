import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldPath, formatFieldPath, parseFieldPath } from '../../src/config/field-path.ts';

const cases: [readonly (string | number)[], string][] = [
  [[], ''],
  [['server', 'port'], 'server.port'],
  [['runConfigurations', 2, 'triggers', 'git', 0, 'branches', 1], 'runConfigurations[2].triggers.git[0].branches[1]'],
  [['runConfigurations', 0, 'labels', 'app.kubernetes.io/name'], 'runConfigurations[0].labels["app.kubernetes.io/name"]'],
  [['runConfigurations', 0, 'annotations', 'say "hi"'], 'runConfigurations[0].annotations["say \\"hi\\""]'],
  [['labels', 'team-name'], 'labels.team-name'],
];

for (const [segments, text] of cases) {
  test(`${text || '(root)'} formats and parses back`, () => {
    assert.equal(formatFieldPath(segments), text);
    assert.deepEqual(parseFieldPath(text), segments);
  });
}

test('fieldPath appends to a formatted path', () => {
  assert.equal(fieldPath('runConfigurations[1]', 'labels', 'openchoreo.dev/component'), 'runConfigurations[1].labels["openchoreo.dev/component"]');
});

test('text that is not a field path does not parse', () => {
  assert.equal(parseFieldPath('templates/kfp-run.yaml.hbs:3'), undefined);
  assert.equal(parseFieldPath('a[b]'), undefined);
});
