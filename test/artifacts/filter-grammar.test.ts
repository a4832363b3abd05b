import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilter } from '../../src/artifacts/filter/compile-filter.ts';

/** Artifact metadata as KFP's metadata store reports it (custom properties), plus shapes to select into. */
const METADATA: Readonly<Record<string, unknown>> = {
  pushed: 1,
  'a/b': 1,
  big: 9007199254740993n,
  score: 0.75,
  neg: -3,
  name: 'penguin-model',
  dotted: 'a.b',
  slash: '/a/b',
  empty: '',
  quoted: 'say "hi"',
  tab: 'a\tb',
  accented: 'é',
  letter: 'A',
  flag: true,
  off: false,
  nothing: null,
  not: 'kw',
  tags: ['prod', 'k', 'v2'],
  nums: [1, 2, 3],
  mixed: ['a', 1, true],
  none: [],
  labels: { team: 'ml', 'with space': 'yes' },
  nested: { inner: { deep: 'x' }, list: [{ id: 'a' }], blank: {} },
};

type Expected = boolean | 'error';

/** [filter, expected]: `'error'` is what go-bexpr reports as an evaluation error (never a match). */
const CASES: readonly (readonly [string, Expected])[] = [
  // == and != with the literal converted to the field's type
  ['pushed == 1', true],
  ['pushed == 2', false],
  ['pushed != 2', true],
  ['pushed != 1', false],
  ['pushed == "1"', true],
  ['pushed == `1`', true],
  ['pushed == "0x1"', true],
  ['pushed == "0b1"', true],
  // an integer field takes the literal through ParseInt, a fractional one through ParseFloat
  ['pushed == 1.0', 'error'],
  ['score == 1', false],
  ['big == 9007199254740993', true],
  ['big == 9007199254740992', false],
  ['pushed == yes', 'error'],
  ['pushed != yes', 'error'],
  ['score == 0.75', true],
  ['score == -0.75', false],
  ['score == "7.5e-1"', true],
  ['neg == -3', true],
  ['neg != -3', false],
  ['name == "penguin-model"', true],
  ['name == `penguin-model`', true],
  ['name == penguin', false],
  ['name != penguin', true],
  ['empty == ""', true],
  ['flag == true', true],
  ['flag == True', true],
  ['flag == 1', true],
  ['flag == t', true],
  ['flag != false', true],
  ['flag == yes', 'error'],
  ['off == false', true],
  ['off == 0', true],
  ['nothing == 1', 'error'],
  ['tags == prod', 'error'],
  ['labels == ml', 'error'],
  // bare words are strings; a dotted bare word keeps its dots
  ['labels.team == ml', true],
  ['dotted == a.b', true],
  ['not == kw', true],
  ['name == not', false],
  // selectors: dotted, numeric segments, quoted index, JSON pointer
  ['nested.inner.deep == x', true],
  ['nested.list.0.id == a', true],
  ['nested.list.1.id == a', 'error'],
  ['labels["with space"] == yes', true],
  ['labels[`team`] == ml', true],
  ['"/nested/inner/deep" == x', true],
  ['"/labels/team" == ml', true],
  ['name.length == 13', 'error'],
  // go-bexpr reads a double-quoted value shaped like a JSON pointer as a selector: "/a/b" means "a/b"
  ['slash == "/a/b"', false],
  ['slash == `/a/b`', true],
  // escapes
  ['quoted == `say "hi"`', true],
  ['tab == "a\\tb"', true],
  ['tab == `a\\tb`', false],
  ['accented == "\\u00e9"', true],
  ['accented == "\\U000000e9"', true],
  ['letter == "\\101"', true],
  ['letter == "\\x41"', true],
  // in / not in / contains / not contains
  ['"k" in tags', true],
  ['k in tags', true],
  ['"q" in tags', false],
  ['"q" not in tags', true],
  ['"k" not in tags', false],
  ['tags contains prod', true],
  ['tags not contains prod', false],
  ['tags contains "v2"', true],
  ['2 in nums', true],
  ['"2" in nums', true],
  ['x in nums', false],
  ['1 in mixed', true],
  ['true in mixed', true],
  ['a in mixed', true],
  ['team in labels', true],
  ['ml in labels', false],
  ['"with space" in labels', true],
  ['pen in name', true],
  ['name contains model', true],
  ['name not contains xyz', true],
  ['1 in pushed', 'error'],
  ['a in nested.list', 'error'],
  ['not in tags', false],
  ['"not" not in tags', true],
  // is nil / is not nil (go-bexpr 0.1.16): null or a missing nested key is nil, a list or object is not
  ['nothing is nil', true],
  ['nothing is not nil', false],
  ['tags is nil', false],
  ['labels is not nil', true],
  ['nested.missing is nil', true],
  ['name is nil', 'error'],
  ['nothing matches "x"', 'error'],
  // `/` belongs to an identifier: a/b selects the key "a/b"
  ['a/b == 1', true],
  ['mixed.010 == 1', 'error'],
  ['nums.01 == 2', true],
  ['"1" in nums', true],
  ['"01" in nums', false],
  // is empty / is not empty
  ['empty is empty', true],
  ['name is empty', false],
  ['name is not empty', true],
  ['none is empty', true],
  ['tags is empty', false],
  ['tags is not empty', true],
  ['nested.blank is empty', true],
  ['labels is not empty', true],
  ['pushed is empty', 'error'],
  ['nothing is empty', 'error'],
  // matches / not matches (RE2 syntax)
  ['name matches "^penguin"', true],
  ['name matches "model$"', true],
  ['name matches "^model"', false],
  ['name not matches "^x"', true],
  ['name not matches "penguin"', false],
  ['name matches "(?i)PENGUIN"', true],
  ['name matches `\\Apenguin-model\\z`', true],
  ['name matches `\\Apenguin\\z`', false],
  ['name matches "^[[:alpha:]]+-[[:alpha:]]+$"', true],
  ['name matches `^(?P<word>\\pL+)-`', true],
  ['dotted matches `^\\Qa.b\\E$`', true],
  ['name matches `^\\Qa.b\\E$`', false],
  ['pushed matches "1"', 'error'],
  // a missing top-level field is an error in go-bexpr; KFP-Operator then skips the artifact
  ['missing == 1', 'error'],
  ['missing != 1', 'error'],
  ['missing is empty', 'error'],
  ['not missing == 1', 'error'],
  ['missing == 1 or pushed == 1', 'error'],
  ['pushed == 1 or missing == 1', true],
  ['pushed == 2 and missing == 1', false],
  ['nested.nope.deep == 1', 'error'],
  // a key missing from a nested object answers with the operator's "not present" disposition
  ['labels.missing == 1', false],
  ['labels.missing != 1', true],
  ['"x" in labels.missing', false],
  ['"x" not in labels.missing', true],
  ['labels.missing is empty', true],
  ['labels.missing is not empty', false],
  ['labels.missing matches "x"', false],
  ['labels.missing not matches "x"', true],
  ['not labels.missing == 1', true],
  // precedence: not > and > or; parentheses
  ['flag == true or pushed == 2 and pushed == 3', true],
  ['pushed == 2 and pushed == 1 or flag == true', true],
  ['not pushed == 1 and flag == false', false],
  ['not (pushed == 1 and flag == false)', true],
  ['(flag == true or pushed == 2) and pushed == 3', false],
  ['not (pushed == 1 or flag == false)', false],
  ['not not pushed == 1', true],
  ['((pushed == 1))', true],
  ['(pushed == 1) and (flag == true)', true],
  // whitespace
  ['pushed==1', true],
  ['  pushed == 1  ', true],
  ['pushed == 1\nand\tflag == true', true],
  // the KFP-Operator documentation examples
  ['pushed == 1 and name != "x" and "k" in tags and name matches "^pen"', true],
];

describe('go-bexpr filter grammar and semantics', () => {
  for (const [source, expected] of CASES) {
    test(`${source} → ${expected}`, () => {
      const outcome = compileFilter(source).explain(METADATA);
      if (expected === 'error') {
        assert.equal(outcome.matched, false);
        assert.equal(typeof outcome.error, 'string', 'expected an evaluation error');
      } else {
        assert.deepEqual(outcome, { matched: expected });
      }
    });
  }

  test('evaluate() is explain().matched', () => {
    const filter = compileFilter('pushed == 1 and missing == 1');
    assert.equal(filter.evaluate({ pushed: 1 }), false);
    assert.equal(filter.evaluate({ pushed: 1, missing: 1 }), true);
    assert.match(filter.explain({ pushed: 1 }).error ?? '', /no field missing/);
  });

  test('a compiled filter keeps its source and is reusable', () => {
    const filter = compileFilter('pushed == 1');
    assert.equal(filter.source, 'pushed == 1');
    assert.deepEqual([{ pushed: 1 }, { pushed: 0 }, { pushed: 1 }].map((m) => filter.evaluate(m)), [true, false, true]);
  });

  test('contains parses to the same match as in, with the operands in the other order', () => {
    const summary = (source: string) => {
      const expression = compileFilter(source).expression;
      assert.equal(expression.kind, 'match');
      return expression.kind === 'match' ? [expression.operator, expression.selector.path, expression.value] : [];
    };
    assert.deepEqual(summary('tags contains k'), ['in', ['tags'], 'k']);
    assert.deepEqual(summary('k in tags'), ['in', ['tags'], 'k']);
    assert.deepEqual(summary('tags not contains k'), ['notIn', ['tags'], 'k']);
  });

  test('long chains parse and evaluate without deep recursion', () => {
    const chain = (operator: string, last: string) => [...Array.from({ length: 5000 }, () => 'pushed == 2'), last].join(` ${operator} `);
    assert.equal(compileFilter(chain('or', 'pushed == 1')).evaluate(METADATA), true);
    assert.equal(compileFilter(chain('or', 'pushed == 3')).evaluate(METADATA), false);
    assert.equal(compileFilter(chain('and', 'pushed == 1')).evaluate(METADATA), false);
  });

  test('nesting is limited to 100 levels of not and parentheses', () => {
    const nested = (levels: number) => `${'('.repeat(levels)}pushed == 1${')'.repeat(levels)}`;
    assert.equal(compileFilter(nested(100)).evaluate(METADATA), true);
    assert.equal(compileFilter(`${'not '.repeat(100)}pushed == 1`).evaluate(METADATA), true);
    assert.throws(() => compileFilter(nested(101)), /nested deeper than 100 levels/);
    assert.throws(() => compileFilter(`${'not '.repeat(101)}pushed == 1`), /nested deeper than 100 levels/);
  });

  test('and / or are right-associative and and binds tighter than or', () => {
    const expression = compileFilter('a == 1 or b == 2 and c == 3 or d == 4').expression;
    assert.equal(expression.kind, 'or');
    assert.equal(expression.kind === 'or' && expression.right.kind, 'or');
    assert.equal(expression.kind === 'or' && expression.right.kind === 'or' && expression.right.left.kind, 'and');
  });
});
