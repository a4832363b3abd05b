import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { manifestYaml } from '../../src/sinks/manifest-yaml.ts';

/** Read back by a YAML 1.2 reader and by a YAML 1.1 one (what kubectl's reader follows). */
function roundTrips(value: Record<string, unknown>): void {
  const text = manifestYaml(value);
  const expected = JSON.parse(JSON.stringify(value)) as unknown;
  assert.deepEqual(parse(text, { version: '1.2' }), expected, text);
  assert.deepEqual(parse(text, { version: '1.1' }), expected, text);
}

test('block YAML, as the yaml package writes it for a run', () => {
  const run = {
    apiVersion: 'pipelines.kubeflow.org/v1beta1',
    kind: 'Run',
    metadata: { name: 'penguin-1a2b3c4d5e', namespace: 'ml', labels: { 'app.kubernetes.io/part-of': 'ml' }, annotations: {} },
    spec: { parameters: [{ name: 'epochs', value: '100' }], artifacts: [], nested: [[1, 2], []], empty: [{}] },
  };
  assert.equal(manifestYaml(run), stringify(run));
  roundTrips(run);
});

test('strings that a reader would take for something else are quoted', () => {
  const words = ['yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'NULL', '~', '1:20', '0x1F', '012', '1e3', '.inf', '-.Inf', '.NaN', '+1', '-', '---', '...', '', ' a', 'a ', '<<', '2001-12-14', 'a: b', 'a #b', '@x', '`x', '!tag', '&a', '*a', '|', '>', '%x', '{a}', '[a]', 'a,b', '?'];
  for (const word of words) roundTrips({ [word]: word, list: [word] });
});

test('control characters, non-characters, lone surrogates and line breaks', () => {
  for (const text of ['a\nb\n', '\t', '\x00\x1b', '\x7f\x85\x9f', '\u2028\u2029', '\ufeff', '\ufffe\uffff', '\ud800', 'x\udc00', '😀', 'é"\\']) {
    roundTrips({ value: text, [text]: 1 });
  }
});

test('numbers, booleans, nulls; undefined and functions left out as JSON does; toJSON applied', () => {
  roundTrips({ n: [0, -1, 1.5, 1e21, -0.25, 2 ** 60], b: [true, false], z: null, u: undefined, f: () => 1, list: [undefined, null], at: new Date(0) });
  assert.equal(manifestYaml({ up: Infinity, down: -Infinity, none: NaN }), 'up: .inf\ndown: -.inf\nnone: .nan\n');
  assert.equal(manifestYaml({}), '{}\n');
});

test('random JSON data reads back the same', () => {
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const pieces = ['a', 'Z', '0', '9', '-', '_', '.', '/', ':', ' ', '#', '\n', '"', "'", '\\', '\t', 'é', '{', '[', '&', '*', '!', '|', '>', '%', '@', ',', '?', '~', 'yes', 'null', '1'];
  const str = () => Array.from({ length: rnd(6) }, () => pieces[rnd(pieces.length)]).join('');
  const value = (depth: number): unknown => {
    const kind = rnd(depth > 3 ? 4 : 6);
    if (kind === 0) return str();
    if (kind === 1) return [0, -3, 2.5, 1e-7][rnd(4)];
    if (kind === 2) return rnd(2) === 0;
    if (kind === 3) return null;
    if (kind === 4) return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), value(depth + 1)]));
    return Array.from({ length: rnd(4) }, () => value(depth + 1));
  };
  for (let i = 0; i < 2000; i++) roundTrips(Object.fromEntries(Array.from({ length: rnd(5) }, () => [str(), value(0)])));
});

test('a key too long for an implicit key is left to the yaml package', () => {
  const long = 'k'.repeat(2000);
  roundTrips({ [long]: 'v', nested: { [long]: [long] } });
});
