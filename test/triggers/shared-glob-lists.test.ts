import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedGlobLists } from '../../src/triggers/shared-glob-lists.ts';

test('the same list is compiled once and shared; case-insensitive lists apart; a list with problems reports them at each path', () => {
  const compile = sharedGlobLists();
  const first = compile(['main', 'release/*'], 'a.branches');
  const second = compile(['main', 'release/*'], 'b.branches');
  assert.deepEqual(second.issues, []);
  assert.equal(second.list, first.list);
  assert.equal(second.list.matches('release/1.2'), true);

  const nocase = compile(['main', 'release/*'], 'c.repository', { nocase: true });
  assert.notEqual(nocase.list, first.list);
  assert.equal(nocase.list.matches('MAIN'), true);
  assert.equal(first.list.matches('MAIN'), false);

  assert.deepEqual(compile(['[a-'], 'a.tags').issues.map((i) => i.path), ['a.tags[0]']);
  assert.deepEqual(compile(['[a-'], 'b.tags').issues.map((i) => i.path), ['b.tags[0]']);
});
