/** docs/templates.md stays true: its example template renders, and its helper table lists every helper. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { TEMPLATE_HELPERS } from '../../src/render/helpers/template-helpers.ts';
import { renderRun } from '../../src/render/render-run.ts';
import { contextWith, provenanceOf } from './render-fixtures.ts';
import { compileProbe } from './probe.ts';

const doc = await readFile(new URL('../../docs/templates.md', import.meta.url), 'utf8');

test('the example template in docs/templates.md compiles and renders', () => {
  const block = /```handlebars\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, 'no handlebars example found');
  const source = block.replace(/^ {3}/gm, '');
  const template = compileProbe(source, 'tekton-taskrun');
  assert.deepEqual([...template.requiredParams], ['task']);
  const ctx = contextWith([
    { name: 'task', value: 'build' },
    { name: 'commit', value: 'abc' },
  ]);
  const run = renderRun(template, ctx, provenanceOf(ctx));
  assert.equal(run.kind, 'TaskRun');
  assert.deepEqual(run.spec, { taskRef: { name: 'build' }, params: [{ name: 'commit', value: 'abc' }] });
  assert.equal(run.metadata.labels?.branch, 'master');
});

test('the helper table in docs/templates.md lists every helper', () => {
  const table = doc.slice(doc.indexOf('## Helpers'), doc.indexOf('## The shipped templates'));
  for (const name of Object.keys(TEMPLATE_HELPERS)) assert.match(table, new RegExp(`\\| \`${name}\`|, \`${name}\``), name);
});
