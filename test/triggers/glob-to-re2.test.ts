/**
 * Globs compiled to RE2 mean what they meant with picomatch 4 (which compiled them to JavaScript
 * RegExp, a backtracking engine): a seeded corpus of generated globs × Git-like values, each
 * matched by both, must agree outside the differences documented in src/triggers/glob-to-re2.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import picomatch from 'picomatch/posix.js';
import { compileRe2 } from '../../src/regex/compile-re2.ts';
import { globToRe2 } from '../../src/triggers/glob-to-re2.ts';

const ATOMS = ['a', 'b', 'main', 'v1', '.', '-', '*', '**', '?', '[a-c]', '[^a]', '{a,b}', '{x,*}', '@(a|b)', '+(a)', '*(b)', '?(a)', '.x', '[[:digit:]]', '{1..3}', '\\*', 'A'];
const SEGMENTS = ['a', 'b', 'ab', 'main', 'v1', 'v2', '.x', 'x.py', 'a-b', '1', '3', 'ba', 'aab', '*', '!', 'A', 'release'];
const GLOBS = 3000;
const VALUES_PER_GLOB = 20;

/** `**` next to other characters in its segment: picomatch lets it cross `/`, runbridge reads `*`. */
const GLOBSTAR_IN_SEGMENT = /[^/]\*\*|\*\*[^/]/;

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

test('globs compiled to RE2 agree with picomatch on generated globs and values', () => {
  const next = random(20_240_601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const path = (parts: readonly string[], max: number): string => Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(parts)).join('/');
  let compared = 0;
  let documented = 0;
  const disagreements: string[] = [];
  for (let i = 0; i < GLOBS; i++) {
    const glob = Array.from({ length: 1 + Math.floor(next() * 3) }, () => Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(ATOMS)).join('')).join('/');
    const reference = picomatch.makeRe(glob, { dot: true, strictBrackets: true, nonegate: true });
    const compiled = compileRe2(globToRe2(glob));
    for (let j = 0; j < VALUES_PER_GLOB; j++) {
      const value = path(SEGMENTS, 3);
      compared++;
      if (reference.test(value) === compiled.test(value)) continue;
      if (GLOBSTAR_IN_SEGMENT.test(glob)) documented++;
      else disagreements.push(`${glob} on ${value}: picomatch ${reference.test(value)}`);
    }
  }
  console.log(`globs: ${compared - documented - disagreements.length}/${compared} agree with picomatch (${documented} documented: ** inside a segment)`);
  assert.deepEqual(disagreements, []);
});

describe('where runbridge differs from picomatch on purpose', () => {
  const cases: { glob: string; value: string; matches: boolean }[] = [
    { glob: '[!a]b', value: 'cb', matches: true },
    { glob: '[!a]b', value: 'ab', matches: false },
    { glob: '**.py', value: 'a/b.py', matches: false },
  ];
  for (const c of cases) {
    test(`${c.glob} ${c.matches ? 'matches' : 'does not match'} ${c.value}`, () => {
      assert.equal(compileRe2(globToRe2(c.glob)).test(c.value), c.matches);
    });
  }

  test('a negated extglob is refused, with what to write instead', () => {
    assert.throws(() => globToRe2('release/!(beta)'), {
      name: 'GlobSyntaxError',
      message: '"!(beta)" needs look-ahead, which linear-time matching does not have: write the exclusion as its own "!" pattern',
    });
  });
});
