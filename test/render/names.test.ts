import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { dns1123Label } from '../../src/render/dns1123-label.ts';
import { isDns1123Label, isLabelValue, isQualifiedName } from '../../src/render/kubernetes-names.ts';
import { labelSafe } from '../../src/render/label-safe.ts';
import { runIdentity, runName } from '../../src/render/run-name.ts';
import { nastyStrings } from './nasty-strings.ts';

const INPUTS = nastyStrings();

describe('dns1123Label', () => {
  test('every output is a DNS-1123 label within the length asked, and deterministic', () => {
    for (const input of INPUTS) {
      for (const max of [1, 7, 40, 63]) {
        const out = dns1123Label(input, max);
        assert.ok(isDns1123Label(out), `${JSON.stringify(input)} → ${JSON.stringify(out)}`);
        assert.ok(out.length <= max, `${JSON.stringify(out)} longer than ${max}`);
        assert.equal(dns1123Label(input, max), out);
        assert.equal(dns1123Label(out, max), out, 'shaping is idempotent');
      }
    }
  });

  test('shapes readable input readably', () => {
    const cases: [string, string][] = [
      ['Penguin_Training', 'penguin-training'],
      ['feature/JIRA-123', 'feature-jira-123'],
      ['--a--b--', 'a-b'],
      ['a//b', 'a-b'],
      ['', 'x'],
      ['日本語', 'x'],
      ['already-valid-1', 'already-valid-1'],
    ];
    for (const [input, expected] of cases) assert.equal(dns1123Label(input), expected, input);
  });

  test('cutting never leaves a trailing dash', () => {
    assert.equal(dns1123Label('abcdef-ghij', 7), 'abcdef');
  });

  test('refuses impossible lengths', () => {
    for (const max of [0, -1, 64, 1.5, Number.NaN]) assert.throws(() => dns1123Label('a', max), RangeError);
  });
});

describe('runName', () => {
  const nameOf = (prefix: string, runConfigurationKey: string, eventId: string) => runName(prefix, runIdentity(runConfigurationKey, eventId));

  test('every name is a DNS-1123 label of at most 63 characters, for any prefix and event id', () => {
    for (const input of INPUTS) {
      const name = nameOf(input, 'ml/penguin', input);
      assert.ok(isDns1123Label(name), `${JSON.stringify(input)} → ${JSON.stringify(name)}`);
      assert.ok(name.length <= 63);
      assert.match(name, /-[0-9a-f]{10}$/);
    }
  });

  test('is deterministic: the same event for the same run configuration gives the same name', () => {
    assert.equal(nameOf('penguin', 'ml/penguin', 'delivery-1'), nameOf('penguin', 'ml/penguin', 'delivery-1'));
  });

  test('differs by event and by run configuration', () => {
    const base = nameOf('penguin', 'ml/penguin', 'delivery-1');
    assert.notEqual(nameOf('penguin', 'ml/penguin', 'delivery-2'), base);
    assert.notEqual(nameOf('penguin', 'ml/other', 'delivery-1'), base);
    assert.notEqual(nameOf('penguin', 'other/penguin', 'delivery-1'), base);
  });

  test('the suffix is the run identity, the first 10 hex digits of sha256(rcKey + "\\n" + eventId)', () => {
    const expected = createHash('sha256').update('ml/penguin\ndelivery-1').digest('hex').slice(0, 10);
    assert.equal(runIdentity('ml/penguin', 'delivery-1'), expected);
    assert.equal(nameOf('penguin', 'ml/penguin', 'delivery-1'), `penguin-${expected}`);
  });

  test('keeps a readable prefix: <prefix>-<10 hex>', () => {
    assert.match(nameOf('Penguin_Training', 'ml/penguin', 'd'), /^penguin-training-[0-9a-f]{10}$/);
    assert.equal(nameOf('a'.repeat(100), 'k', 'e').length, 63);
  });
});

describe('labelSafe', () => {
  test('every output is a valid label value, deterministic', () => {
    for (const input of INPUTS) {
      const out = labelSafe(input);
      assert.ok(isLabelValue(out), `${JSON.stringify(input)} → ${JSON.stringify(out)}`);
      assert.equal(labelSafe(input), out);
    }
  });

  test('keeps values that are already valid (GitHub delivery GUIDs, branch names)', () => {
    for (const valid of ['72d3162e-cc78-11e3-81ab-4c9367dc0958', 'main', 'v1.2.3', 'A_b-c.d', '', 'a'.repeat(63)]) {
      assert.equal(labelSafe(valid), valid);
    }
  });

  test('distinct invalid inputs stay distinct', () => {
    const outputs = new Map<string, string>();
    for (const input of INPUTS) {
      const out = labelSafe(input);
      const previous = outputs.get(out);
      assert.ok(previous === undefined || previous === input, `${JSON.stringify(previous)} and ${JSON.stringify(input)} both → ${out}`);
      outputs.set(out, input);
    }
  });

  test('shapes a schedule event id readably and adds a hash', () => {
    assert.match(labelSafe('ml/nightly@2024-01-01T03:00:00.000Z'), /^ml-nightly-2024-01-01T03-00-00.000Z-[0-9a-f]{10}$/);
  });

  test('remembered values are the computed ones, also once thousands of other inputs came in between', () => {
    const expected = (value: string) => `${value.replaceAll(':', '-')}-${createHash('sha256').update(value).digest('hex').slice(0, 10)}`;
    const first = 'run-a:succeeded';
    assert.equal(labelSafe(first), expected(first));
    for (let i = 0; i < 3000; i++) {
      const id = `run-${i}:failed`;
      assert.equal(labelSafe(id), expected(id));
      if (i % 500 === 0) assert.equal(labelSafe(first), expected(first));
    }
    assert.equal(labelSafe(first), expected(first));
  });
});

describe('isQualifiedName', () => {
  const cases: [string, boolean][] = [
    ['app', true],
    ['runbridge.dev/event-id', true],
    ['app.kubernetes.io/managed-by', true],
    ['openchoreo.dev/component', true],
    ['', false],
    ['/name', false],
    ['Bad_Prefix/name', false],
    ['prefix/', false],
    ['__proto__', false],
    ['constructor', true],
    [`${'a'.repeat(64)}`, false],
    ['a/b/c', false],
  ];
  for (const [key, valid] of cases) test(`${JSON.stringify(key)} → ${valid}`, () => assert.equal(isQualifiedName(key), valid));
});
