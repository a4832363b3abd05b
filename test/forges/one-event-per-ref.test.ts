// How a delivery that lists several ref changes becomes several events: the payload split one
// change each (oneChangeEach), and the keys that let a redelivery find each again (keyedByRef).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { keyedByRef } from '../../src/sources/webhook/keyed-by-ref.ts';
import { oneChangeEach } from '../../src/sources/webhook/one-change-each.ts';

test('oneChangeEach: one payload per change, the rest of the delivery in each, the original untouched', () => {
  const payload = { actor: { name: 'ada' }, push: { changes: [{ n: 1 }, { n: 2 }], other: true } };
  assert.deepEqual(oneChangeEach(payload, ['push', 'changes']), [
    { actor: { name: 'ada' }, push: { changes: [{ n: 1 }], other: true } },
    { actor: { name: 'ada' }, push: { changes: [{ n: 2 }], other: true } },
  ]);
  assert.deepEqual(payload.push.changes, [{ n: 1 }, { n: 2 }]);
});

test('oneChangeEach: one change, none, no list or a list that is not one → the payload alone, the same object', () => {
  for (const payload of [{ changes: [{ n: 1 }] }, { changes: [] }, { other: 1 }, { changes: { n: 1 } }, { changes: 'x' }]) {
    const parts = oneChangeEach(payload, ['changes']);
    assert.equal(parts.length, 1);
    assert.equal(parts[0], payload);
  }
});

test('oneChangeEach: a __proto__ key on the way is data, not a way into the prototype', () => {
  const payload = JSON.parse('{"__proto__": {"changes": [1, 2]}}') as Record<string, unknown>;
  assert.equal(oneChangeEach(payload, ['__proto__', 'changes']).length, 2);
  assert.equal(oneChangeEach({}, ['__proto__', 'changes']).length, 1);
});

const event = (ref: string | undefined): Omit<RunbridgeEvent, 'id'> => ({
  source: 'bitbucket-cloud',
  type: 'bitbucket-cloud.repo:push',
  time: '2026-11-25T08:00:00.000Z',
  trigger: 'git',
  data: {},
  ...(ref === undefined ? {} : { git: { provider: 'bitbucket-cloud', event: 'repo:push', kind: 'push', viaPush: true, repository: 'acme/shop', ref, deleted: false, created: false } }),
});

test('keyedByRef: one event keeps the delivery key, as every one-event delivery', () => {
  assert.deepEqual(keyedByRef('bitbucket-cloud:u1', [event('refs/heads/main')]).map((e) => e.id), ['bitbucket-cloud:u1']);
});

test('keyedByRef: several → <delivery key>/<ref>, in order; a ref named twice keeps its place', () => {
  const ids = keyedByRef('bitbucket-cloud:u1', [event('refs/heads/main'), event('refs/tags/v1.0.0'), event('refs/heads/main')]).map((e) => e.id);
  assert.deepEqual(ids, ['bitbucket-cloud:u1/refs/heads/main', 'bitbucket-cloud:u1/refs/tags/v1.0.0', 'bitbucket-cloud:u1/refs/heads/main#2']);
});

test('keyedByRef: no event is a malformed delivery', () => {
  assert.throws(() => keyedByRef('bitbucket-cloud:u1', []), { code: 'RB_MALFORMED' });
});
