import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileFilter } from '../../src/artifacts/filter/compile-filter.ts';

/** Only the metadata's own data properties are ever read: nothing inherited, no getters run. */
describe('filter evaluation reads own properties only', () => {
  const plain: Readonly<Record<string, unknown>> = { labels: { team: 'ml' } };
  const cases: readonly (readonly [string, Readonly<Record<string, unknown>>, boolean])[] = [
    ['constructor == "x"', plain, false],
    ['constructor is not empty', plain, false],
    ['"/__proto__" is empty', plain, false],
    ['"/__proto__" is not empty', plain, false],
    ['"/constructor/name" == Object', plain, false],
    ['toString is not empty', plain, false],
    ['labels.constructor is not empty', plain, false],
    ['labels.hasOwnProperty == x', plain, false],
    ['"toString" in labels', plain, false],
    ['"constructor" in labels', plain, false],
    ['"/labels/__proto__" is not empty', plain, false],
    ['labels["__proto__"].polluted == 1', plain, false],
    // A key literally named __proto__ (as JSON.parse creates it) is an ordinary own key.
    ['"/__proto__" is empty', JSON.parse('{"__proto__": {}}') as Record<string, unknown>, true],
    ['"/__proto__/x" == 1', JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>, true],
  ];
  for (const [source, metadata, expected] of cases) {
    test(`${source} → ${expected}`, () => {
      assert.equal(compileFilter(source).evaluate(metadata), expected);
    });
  }

  test('getters are never invoked and evaluation never throws', () => {
    let calls = 0;
    const metadata = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get() {
        calls += 1;
        throw new Error('getter ran');
      },
    }) as Record<string, unknown>;
    assert.equal(compileFilter('boom == 1').evaluate(metadata), false);
    assert.equal(compileFilter('"k" in boom').evaluate(metadata), false);
    assert.equal(calls, 0);
  });

  test('an object without a prototype is fine', () => {
    const metadata = Object.assign(Object.create(null) as Record<string, unknown>, { pushed: 1 });
    assert.equal(compileFilter('pushed == 1').evaluate(metadata), true);
  });

  test('evaluation leaves Object.prototype untouched', () => {
    compileFilter('labels["__proto__"].polluted == 1 or "/__proto__/polluted" == 1').evaluate(plain);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  });
});
