import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberRecent } from '../src/remember-recent.ts';

test('rememberRecent: a recent input is not computed again; one not seen for two generations is', () => {
  const computed: string[] = [];
  const upper = rememberRecent((input) => {
    computed.push(input);
    return input.toUpperCase();
  }, 3);
  assert.equal(upper('a'), 'A');
  assert.equal(upper('a'), 'A');
  assert.deepEqual(computed, ['a']);
  // b, c fill the first generation with a; d starts a second one: a is in the previous generation.
  for (const input of ['b', 'c', 'd']) upper(input);
  assert.equal(upper('a'), 'A', 'found in the previous generation and moved back');
  assert.deepEqual(computed, ['a', 'b', 'c', 'd']);
  // Two full generations without b: it has aged out and is computed again.
  for (const input of ['e', 'f', 'g', 'h', 'i', 'j']) upper(input);
  assert.equal(upper('b'), 'B');
  assert.equal(computed.filter((input) => input === 'b').length, 2);
});
