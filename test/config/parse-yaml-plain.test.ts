import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfigYaml } from '../../src/config/parse-config-yaml.ts';
import { parseYamlPlain } from '../../src/config/parse-yaml-plain.ts';
import { splitSequenceItems } from '../../src/config/split-sequence-items.ts';
import { locateLines } from '../../src/config/locate-lines.ts';
import { lineOfPath } from '../../src/config/line-of-path.ts';
import type { PathSegment } from '../../src/config/field-path.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');

/** The light path must give exactly what the positioned document gives (or decline). */
function sameAsDocument(text: string): unknown {
  const full = parseConfigYaml(text);
  assert.deepEqual(full.issues, []);
  const plain = parseYamlPlain(text);
  assert.ok(plain, 'the light path declined');
  assert.deepEqual(plain.value, full.value);
  return plain.value;
}

describe('parseYamlPlain', () => {
  test('gives the same value as the positioned document for every shipped example', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length > 0);
    for (const file of files) sameAsDocument(await readFile(join(EXAMPLES, file), 'utf8'));
  });

  test('resolves scalars as the YAML 1.2 core schema does', () => {
    const value = sameAsDocument(
      [
        'nulls: [~, null, Null, NULL, ""]',
        'empty:',
        'bools: [true, True, TRUE, false, False, FALSE, yes, no, on, off, y, n]',
        'ints: [0, -1, +2, 0o17, 0x1F, 012, 1_000, 0b11, 0O7, 0X1f]',
        'floats: [1.5, -.5, +1., 1e3, 1.5E-2, .inf, -.Inf, +.INF, .nan, .NaN, 1_0.5, 1e, .]',
        'strings: [2024-01-31, 2024-01-31T03:00:00Z, 1:20, "3", \'4\', !!str 5, 0.0.1, 1e3e3]',
        'keys: {1: a, true: b, 1.5: c, "2": d}',
        'folded: >',
        '  one',
        '  two',
        'literal: |-',
        '  kept',
        '    indented',
        'merge: {<<: {a: 1}}',
        'escapes: "tab\\tquote\\" unicode \\u00e9"',
      ].join('\n'),
    ) as Record<string, unknown[]>;
    assert.deepEqual(value['bools'], [true, true, true, false, false, false, 'yes', 'no', 'on', 'off', 'y', 'n']);
    assert.deepEqual(value['ints'], [0, -1, 2, 15, 31, 12, '1_000', '0b11', '0O7', '0X1f']);
    assert.deepEqual(value['strings'], ['2024-01-31', '2024-01-31T03:00:00Z', '1:20', '3', '4', '5', '0.0.1', '1e3e3']);
  });

  test('keeps __proto__ as an own key, as the document does (forbiddenKeys reports it)', () => {
    const value = sameAsDocument('labels:\n  __proto__: x\n') as { labels: object };
    assert.ok(Object.hasOwn(value.labels, '__proto__'));
  });

  test('declines what it cannot promise to read the same way', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors and aliases: the document's alias limits apply
      'a: 1\na: 2\n', // duplicate keys
      'a: 1\n"a": 2\n',
      '~: 1\n', // a null key
      '[a]: 1\n', // a complex key
      '? [a, b]\n: 1\n',
      'a: !foo 1\n', // an unknown tag
      'a: !!timestamp 2024-01-01\n',
      '%YAML 1.2\n---\na: 1\n', // a directive
      'a: 1\n---\nb: 2\n', // two documents
      '', // no document
      'a: [1, 2\n', // syntax
      'a:\n\t- 1\n',
    ]) {
      assert.equal(parseYamlPlain(text), undefined, JSON.stringify(text));
    }
  });
});

describe('a long runConfigurations list, parsed in batches', () => {
  const item = (i: number): string =>
    [
      `  - name: rc-${i}   # trailing comment`,
      '    namespace: "ns"',
      '    description: |',
      '      a literal block',
      '      - that looks like an item',
      '',
      '      runConfigurations: not a key',
      '    parameters:',
      `      - {name: p, value: 'v-${i}'}`,
      '# a comment at column 0 between items',
      '',
    ].join('\n');
  const long = (n: number, indent = '  '): string =>
    ['apiVersion: runbridge.dev/v1alpha1', 'runConfigurations:', ...Array.from({ length: n }, (_, i) => item(i).replace(/^ {2}/gm, indent)), 'sink:', '  type: file', '  directory: runs', ''].join('\n');

  test('gives the same value as the whole document, key order included', () => {
    for (const text of [long(1_500), long(1_500, '')]) {
      assert.ok(text.length > 256 * 1024);
      const value = sameAsDocument(text) as Record<string, unknown[]>;
      assert.deepEqual(Object.keys(value), ['apiVersion', 'runConfigurations', 'sink']);
      assert.equal(value['runConfigurations']?.length, 1_500);
    }
  });

  test('splits at item starts only, in batches of about the size asked for', () => {
    const text = long(100);
    const split = splitSequenceItems(text, 'runConfigurations', 2_000);
    assert.ok(split);
    assert.ok(split.batches.length > 5);
    for (const [from, to] of split.batches) {
      assert.match(text.slice(from, to), /^ {2}- name: rc-\d+ /);
      assert.ok(to - from < 4_000);
    }
    assert.equal(split.batches[0]?.[0], text.indexOf('  - name: rc-0'));
    assert.equal(split.batches.at(-1)?.[1], text.indexOf('sink:'));
    assert.equal(split.skeleton, 'apiVersion: runbridge.dev/v1alpha1\nrunConfigurations: []\nsink:\n  type: file\n  directory: runs\n');
  });

  test('a cut that falls inside a construct fails the batch, and the whole text is declined', () => {
    const text = long(3_000).replace('  - name: rc-1500 ', '  - name: "rc-1500\n  - x" ');
    assert.equal(parseYamlPlain(text), undefined);
  });

  test('no split when the key is not a plain top-level key with a block list', () => {
    assert.equal(splitSequenceItems('runConfigurations: []\n', 'runConfigurations', 1), undefined);
    assert.equal(splitSequenceItems('runConfigurations:\n  name: x\n', 'runConfigurations', 1), undefined);
    assert.equal(splitSequenceItems('runConfigurations:\n- a\nx:\n  runConfigurations:\n    - b\n', 'runConfigurations', 1)?.batches.length, 1);
    assert.equal(splitSequenceItems('runConfigurations:\n- a\nrunConfigurations:\n- b\n', 'runConfigurations', 1), undefined);
  });
});

describe('lines of problems in a file read in batches', () => {
  test('are the lines the whole positioned document gives', () => {
    const item = (i: number): string =>
      [`  - name: rc-${i}`, '    description: |', '      text', '', '      more', '    labels: {a: b}', '    parameters:', `      - name: p`, `        value: v-${i}`, '# between', ''].join('\n');
    const text = ['apiVersion: runbridge.dev/v1alpha1', 'server:', '  port: 8080', 'runConfigurations:', ...Array.from({ length: 3_000 }, (_, i) => item(i)), 'sink:', '  type: file', '  directory: runs', ''].join('\n');
    const plain = parseYamlPlain(text);
    assert.ok(plain?.split && plain.split.batches.length > 1);
    const whole = parseConfigYaml(text);
    let parsedWhole = 0;
    const lineOf = locateLines(text, plain.split, () => {
      parsedWhole++;
      return whole;
    });
    const paths: PathSegment[][] = [
      ['apiVersion'],
      ['server', 'port'],
      ['server', 'missing'],
      ['runConfigurations'],
      ['sink'],
      ['sink', 'directory'],
      ['nowhere'],
    ];
    for (const i of [0, 1, 1_600, 1_601, 1_700, 2_999]) {
      paths.push(['runConfigurations', i], ['runConfigurations', i, 'name'], ['runConfigurations', i, 'labels', 'a'], ['runConfigurations', i, 'parameters', 0, 'value'], ['runConfigurations', i, 'triggers', 'git']);
    }
    for (const path of paths) assert.equal(lineOf(path), lineOfPath(whole.document, whole.lineCounter, path), path.join('.'));
    assert.equal(lineOf(['sink', 'directory']), text.split('\n').indexOf('  directory: runs') + 1);
    assert.equal(parsedWhole, 0);
  });
});
