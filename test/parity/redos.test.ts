import assert from 'node:assert/strict';
import { test } from 'node:test';

import { compileFilter } from '../../src/artifacts/filter/compile-filter.ts';
import { compileRe2 } from '../../src/regex/compile-re2.ts';
import { compileGlobList } from '../../src/triggers/glob-list.ts';

/**
 * Patterns that make a backtracking engine run for seconds or longer, against 10 kB inputs built to
 * trigger them: with RE2 every evaluation stays within a few milliseconds, directly and through an
 * artifact filter.
 */
const PATTERNS = ['^(a+)+$', '^(a|aa)+$', '^(a|a?)+$', '(.*a){12}', '^(\\w+\\s?)*$', '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', '(x+x+)+y', '^(([a-z])+.)+[A-Z]([a-z])+$'];
const INPUTS = [`${'a'.repeat(10_000)}!`, `${'x'.repeat(10_000)}`, `${'a '.repeat(5_000)}!`, `${'ab.'.repeat(3_333)}!`];
const BUDGET_MS = 20;

test('every evaluation of a pathological pattern on a 10 kB input is bounded', () => {
  let slowest = 0;
  for (const pattern of PATTERNS) {
    const compiled = compileRe2(pattern);
    const filter = compileFilter(`message matches ${JSON.stringify(pattern)}`);
    for (const input of INPUTS) {
      compiled.test(input); // warm
      for (const evaluate of [() => compiled.test(input), () => filter.evaluate({ message: input })]) {
        const started = performance.now();
        evaluate();
        const took = performance.now() - started;
        slowest = Math.max(slowest, took);
        assert.ok(took < BUDGET_MS, `${pattern} on ${input.length} characters took ${took.toFixed(1)} ms`);
      }
    }
  }
  console.log(`redos: ${PATTERNS.length} patterns × ${INPUTS.length} inputs of 10 kB, slowest evaluation ${slowest.toFixed(2)} ms`);
});

/** Globs a backtracking engine struggles with (stars and alternatives that overlap), as git triggers may list them. */
const GLOBS = ['*a*a*a*a*a*a*a*a*b', '**/**/**/**/a*b*c*d*e', '{a,a*}{a,a*}{a,a*}{a,a*}*b', '+(a|aa)+(a|aa)x', '*(*(a))b', 'release/**/*-rc*', '**/*.{py,ipynb,txt}', '@(a|a)*@(a|a)*z'];
const REFS_AND_PATHS = [
  'a'.repeat(10_000),
  `${'a/'.repeat(5_000)}!`,
  `release/${'a-'.repeat(4_996)}`,
  `${'x/'.repeat(4_998)}a.pyc`,
];

test('every match of a pathological glob against a 10 kB ref or path is bounded', () => {
  let slowest = 0;
  for (const glob of GLOBS) {
    const { list, issues } = compileGlobList([glob], 'branches', { nocase: true });
    assert.deepEqual(issues, []);
    for (const input of REFS_AND_PATHS) {
      list.matches(input); // warm
      const started = performance.now();
      list.matches(input);
      const took = performance.now() - started;
      slowest = Math.max(slowest, took);
      assert.ok(took < BUDGET_MS, `${glob} on ${input.length} characters took ${took.toFixed(1)} ms`);
    }
  }
  console.log(`redos: ${GLOBS.length} globs × ${REFS_AND_PATHS.length} refs and paths of 10 kB, slowest match ${slowest.toFixed(2)} ms`);
});
