import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePayloadPath, readPayloadPath } from '../../src/triggers/payload-path.ts';

describe('parsePayloadPath', () => {
  const valid: [string, (string | number)[]][] = [
    ['ref', ['ref']],
    ['pull_request.head.repo.full_name', ['pull_request', 'head', 'repo', 'full_name']],
    ['commits[0].id', ['commits', 0, 'id']],
    ['matrix[1][2]', ['matrix', 1, 2]],
    ['[0].name', [0, 'name']],
    ['a-b.c_d', ['a-b', 'c_d']],
  ];
  for (const [path, segments] of valid) {
    test(`parses ${path}`, () => assert.deepEqual(parsePayloadPath(path), segments));
  }
  for (const path of ['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a[-1]', 'a]', 'a.[0]', 'a[0]b']) {
    test(`rejects ${JSON.stringify(path)}`, () => {
      assert.deepEqual(parsePayloadPath(path), {
        error: `invalid payload path ${JSON.stringify(path)}: expected keys joined by "." with optional [n] indexes`,
      });
    });
  }
});

describe('readPayloadPath', () => {
  const data: unknown = JSON.parse('{"a":{"b":[{"c":"x"}]},"__proto__":{"polluted":"yes"},"n":null}');
  const cases: [string, unknown][] = [
    ['a.b[0].c', 'x'],
    ['a.b[1].c', undefined],
    ['a.b.length', undefined],
    ['a.missing.deeper', undefined],
    ['n.x', undefined],
    ['n', null],
    ['__proto__', undefined],
    ['__proto__.polluted', undefined],
    ['polluted', undefined],
    ['constructor', undefined],
    ['constructor.prototype', undefined],
    ['a.constructor.name', undefined],
    ['a.toString', undefined],
    ['a.hasOwnProperty', undefined],
    ['a.b[0].__proto__', undefined],
  ];
  for (const [path, expected] of cases) {
    test(`${path} → ${String(expected)}`, () => {
      const segments = parsePayloadPath(path);
      assert.ok(Array.isArray(segments));
      assert.equal(readPayloadPath(data, segments), expected);
    });
  }

  test('inherited properties are not read', () => {
    const inherited = Object.create({ secret: 'x' }) as object;
    assert.equal(readPayloadPath(inherited, ['secret']), undefined);
  });
});
