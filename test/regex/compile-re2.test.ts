import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compileRe2, Re2SyntaxError } from '../../src/regex/compile-re2.ts';

test('RE2 syntax that JavaScript spells differently matches as in Go', () => {
  const cases: ReadonlyArray<readonly [pattern: string, input: string, expected: boolean]> = [
    ['(?i)^release', 'Release/1.2', true],
    ['(?i)^release', 'pre-release', false],
    ['^\\pL+$', 'Ärger', true],
    ['^\\pL+$', 'abc1', false],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:alpha:]]+$', 'ab-c', false],
    ['\\x{41}', 'xAx', true],
    ['a\\z', 'ba', true],
    ['a\\z', 'a\n', false],
    ['(?s)a.b', 'a\nb', true],
    ['a.b', 'a\nb', false],
    ['(?P<name>x)y', 'xy', true],
    ['\\Q.*\\E', 'a.*b', true],
    ['\\Q.*\\E', 'ab', false],
    ['main', 'refs/heads/main', true],
  ];
  for (const [pattern, input, expected] of cases) {
    assert.equal(compileRe2(pattern).test(input), expected, `${pattern} on ${JSON.stringify(input)}`);
  }
});

test('patterns RE2 refuses are refused with what is wrong', () => {
  const cases: ReadonlyArray<readonly [pattern: string, reason: RegExp]> = [
    ['(?=x)', /invalid or unsupported Perl syntax: `\(\?=`/],
    ['(a)\\1', /invalid escape sequence: `\\1`/],
    ['a\\Z', /invalid escape sequence: `\\Z`/],
    ['a{1001}', /invalid repeat count: `\{1001\}`/],
    ['[a', /missing closing \]/],
    ['a**', /invalid nested repetition operator/],
  ];
  for (const [pattern, reason] of cases) {
    assert.throws(
      () => compileRe2(pattern),
      (error: unknown) => error instanceof Re2SyntaxError && error.name === 'Re2SyntaxError' && reason.test(error.message),
      pattern,
    );
  }
  assert.equal(compileRe2('a{1000}').test('a'.repeat(1000)), true);
});

test('an error never quotes a huge pattern back', () => {
  const pattern = `[${'x'.repeat(100_000)}`;
  assert.throws(
    () => compileRe2(pattern),
    (error: unknown) => error instanceof Re2SyntaxError && error.message.length < 200,
  );
});

test('matching time stays linear on patterns that make backtracking engines explode', () => {
  const input = `${'a'.repeat(10_000)}!`;
  for (const pattern of ['^(a+)+$', '^(a|a)*$', '^(a*)*b$', '(x+x+)+y']) {
    const compiled = compileRe2(pattern);
    const started = performance.now();
    assert.equal(compiled.test(input), false, pattern);
    assert.ok(performance.now() - started < 250, `${pattern} took ${performance.now() - started} ms`);
  }
});
