import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateKey } from '../../src/state/store.ts';

const encode = (part: string) => '=' + Buffer.from(part, 'utf8').toString('base64url');

test('stateKey keeps plain tokens and encodes the rest', () => {
  assert.equal(stateKey('chaining', 'latest', 'ns/name'), `chaining.latest.${encode('ns/name')}`);
  assert.equal(stateKey('a_b-C9'), 'a_b-C9');
  assert.equal(stateKey('run-1:succeeded', 'é'), `${encode('run-1:succeeded')}.${encode('é')}`);
});

test('stateKey gives the same key for a part however many other parts were encoded in between', () => {
  const recurring = 'default/trainer';
  const expected = `submissions.${encode(recurring)}`;
  for (let i = 0; i < 5_000; i++) {
    assert.equal(stateKey('submissions', `event-${i}:succeeded`), `submissions.${encode(`event-${i}:succeeded`)}`);
    if (i % 300 === 0) assert.equal(stateKey('submissions', recurring), expected);
  }
  for (let i = 0; i < 5_000; i += 7) assert.equal(stateKey('x', `event-${i}:succeeded`), `x.${encode(`event-${i}:succeeded`)}`);
  assert.equal(stateKey('submissions', recurring), expected);
});
