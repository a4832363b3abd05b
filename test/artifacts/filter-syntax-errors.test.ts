import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunbridgeError } from '../../src/errors.ts';
import { compileFilter } from '../../src/artifacts/filter/compile-filter.ts';
import { FilterSyntaxError } from '../../src/artifacts/filter/filter-syntax-error.ts';

/** [filter, 0-based position of the problem, what the message says]. */
const CASES: readonly (readonly [string, number, RegExp])[] = [
  ['', 0, /empty expression/],
  ['   ', 3, /empty expression/],
  ['pushed', 6, /expected an operator/],
  ['pushed ==', 9, /expected a value/],
  ['pushed = 1', 7, /unexpected character "="/],
  ['pushed == 1 and', 15, /"and" must be followed by whitespace/],
  ['pushed == 1 or', 14, /"or" must be followed by whitespace/],
  ['pushed == 1 y == 2', 12, /unexpected "y"/],
  ['(pushed == 1', 12, /unmatched "\(" at column 1/],
  ['((pushed == 1)', 14, /unmatched "\(" at column 1/],
  ['pushed == 1)', 11, /unexpected "\)"/],
  ['not(pushed == 1)', 3, /"not" must be followed by whitespace/],
  ['name == penguin-model', 15, /unexpected character "-"/],
  ['x == 1abc', 5, /invalid number literal/],
  ['x == 01', 5, /invalid number literal/],
  ['x == 1.', 5, /invalid number literal/],
  ['x == 0x1', 5, /invalid number literal/],
  ['x == .5', 5, /expected a value/],
  ['x == "abc', 5, /unterminated string literal/],
  ['x == `abc', 5, /unterminated string literal/],
  ['x == "a\\qb"', 7, /invalid escape \\q/],
  ['x == "\\uD800"', 6, /invalid escape \\uD800/],
  ['x == "a\nb"', 7, /newline in string literal/],
  ['__proto__ is empty', 0, /unexpected character "_".*"\/key"/],
  ['_x == 1', 0, /unexpected character "_"/],
  ['a["x" == 1', 6, /unclosed index/],
  ['a[x] == 1', 2, /invalid index/],
  ['a[1] == 1', 2, /invalid number literal/],
  ['a . b == 1', 2, /expected an operator/],
  ['"k" in 5', 7, /expected a selector after "in"/],
  ['"k" in', 6, /"in" must be followed by whitespace/],
  ['x is', 4, /expected "empty", "not empty", "nil" or "not nil" after "is"/],
  ['x is full', 5, /expected "empty", "not empty", "nil" or "not nil" after "is"/],
  ['x matches "("', 10, /invalid RE2 regular expression: missing closing \)/],
  ['x matches "(?=a)"', 10, /invalid RE2 regular expression: invalid or unsupported Perl syntax: `\(\?=`/],
  ['x matches "a{1001}"', 10, /invalid repeat count/],
  ['x == "say \\"hi\\""', 10, /invalid escape/],
  ['1 == x', 2, /expected "in" or "not in" after the value/],
  ['x == 1 && y == 2', 7, /unexpected character "&"/],
  ['x contains', 10, /"contains" must be followed by whitespace/],
];

describe('filter syntax errors', () => {
  for (const [source, position, reason] of CASES) {
    test(`${JSON.stringify(source)} fails at ${position}`, () => {
      assert.throws(
        () => compileFilter(source),
        (error: unknown) => {
          assert.ok(error instanceof FilterSyntaxError);
          assert.equal(error.position, position, error.message);
          assert.match(error.reason, reason);
          assert.ok(error.message.endsWith(`at column ${position + 1}`), error.message);
          return true;
        },
      );
    });
  }

  test('is a typed runbridge error with a stable code', () => {
    const error = (() => {
      try {
        compileFilter('x ==');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof RunbridgeError);
    assert.equal(error.code, 'RB_FILTER_SYNTAX');
    assert.equal(error.status, 422);
    assert.equal(error.name, 'FilterSyntaxError');
    assert.deepEqual(error.details, { source: 'x ==', position: 4 });
  });
});
