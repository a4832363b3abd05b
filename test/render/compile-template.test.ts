import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderError } from '../../src/errors.ts';
import { contextWith, identityOf } from './render-fixtures.ts';
import { compileProbe, problemsOf } from './probe.ts';

const HEAD = 'apiVersion: v1\nkind: Probe\nmetadata:\n  name: probe\n';

describe('compile-time rejections carry the line', () => {
  const cases: [string, string, number, RegExp][] = [
    ['triple-stash', `${HEAD}value: {{{params.a}}}\n`, 5, /\{\{\{ \}\}\} and \{\{& \}\} insert raw text/],
    ['ampersand', `${HEAD}a: 1\nvalue: {{& params.a}}\n`, 6, /raw text/],
    ['partial', `${HEAD}{{> header}}\n`, 5, /partials are not supported/],
    ['partial block', `${HEAD}{{#> layout}}x{{/layout}}\n`, 5, /partials are not supported/],
    ['decorator', `${HEAD}{{* deco}}\n`, 5, /decorators are not supported/],
    ['inline partial (decorator block)', `${HEAD}{{#*inline "x"}}y{{/inline}}\n`, 5, /decorators are not supported/],
    ['a helper used as a block', `${HEAD}value: {{#json params.a}}{{/json}}\n`, 5, /\{\{#json\}\} is not a block helper/],
    ['lookup used as a block', `${HEAD}value: {{#lookup params "a"}}{{/lookup}}\n`, 5, /not a block helper/],
    ['an unclosed mustache', `${HEAD}spec:\n  a: {{params.a\n  b: 1\n`, 7, /template syntax error/],
    ['an unclosed block', `${HEAD}{{#if params.a}}\nvalue: 1\n`, 7, /template syntax error/],
    ['a mismatched block', `${HEAD}{{#if params.a}}\n{{/each}}\n`, 5, /template syntax error: if doesn't match each/],
    ['the reserved slot prefix', `${HEAD}a: 1\nvalue: rbslot123n0x\n`, 6, /`rbslot` is reserved/],
    ['calling the slot helper', `${HEAD}value: {{__rbSlot params.a 0}}\n`, 5, /reserved/],
  ];
  for (const [name, source, line, message] of cases) {
    test(name, () => {
      const problems = problemsOf(source);
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]?.line, line, JSON.stringify(problems));
      assert.match(problems[0]?.message ?? '', message);
    });
  }

  test('reports every problem, not only the first', () => {
    const problems = problemsOf(`${HEAD}a: {{{params.a}}}\nb: {{> p}}\nc: {{{params.c}}}\n`);
    assert.deepEqual(problems.map((p) => p.line), [5, 6, 7]);
  });

  test('blocks of if, unless, each, with and of plain values are fine', () => {
    compileProbe(`${HEAD}{{#if a}}{{/if}}{{#unless a}}{{/unless}}{{#each a}}{{/each}}{{#with a}}{{/with}}{{#git}}{{/git}}{{^a}}{{/a}}\n`);
  });
});

describe('usedParams and requiredParams', () => {
  const template = compileProbe(
    `${HEAD}spec:
  a: {{params.a}}
  b: {{dns1123 params.b 10}}
{{#if params.c}}
  c: yes
{{/if}}
  d: {{concat (lower params.d) "x"}}
  e: {{params.[e-f]}}
  g: {{@root.params.g}}
{{#each parameters}}
  - {{../params.h}}
{{/each}}
  i: {{lookup params "i"}}
  j: {{default params.j "x"}}
{{#unless (and params.k (eq params.l "x"))}}
  m: {{params.m.n}}
{{/unless}}
  # other roots are not parameters: {{git.params}} {{event.id}}
`,
  );
  test('finds params.X in every position', () => {
    assert.deepEqual([...template.usedParams].sort(), ['a', 'b', 'c', 'd', 'e-f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']);
  });
  test('what the template tests itself is not required', () => {
    assert.deepEqual([...template.requiredParams].sort(), ['a', 'b', 'd', 'e-f', 'g', 'h', 'i', 'm']);
  });
});

describe('render errors name the template', () => {
  const cases: [string, string, RegExp][] = [
    ['two YAML documents', `${HEAD}---\napiVersion: v1\n`, /more than one YAML document/],
    ['a list instead of a mapping', '- a\n- b\n', /must render one YAML mapping/],
    ['empty output', '{{#if params.none}}a: 1{{/if}}', /must render one YAML mapping/],
    ['no apiVersion', 'kind: Probe\nmetadata: {}\n', /no apiVersion/],
    ['no kind', 'apiVersion: v1\nmetadata: {}\n', /no kind/],
    ['no metadata', 'apiVersion: v1\nkind: Probe\n', /no metadata/],
    ['invalid YAML from the template text', `${HEAD}spec: [a\n`, /not one valid YAML document/],
    ['duplicate keys written in the template', `${HEAD}spec:\n  a: 1\n  a: 2\n`, /not one valid YAML document/],
    ['duplicate keys once values are filled in', `${HEAD}spec:\n  {{params.a}}: 1\n  {{params.b}}: 2\n`, /"same" appears twice/],
    ['an alias bomb', `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, /more than 50000 nodes/],
    ['an invalid explicit name', 'apiVersion: v1\nkind: Probe\nmetadata:\n  name: {{params.a}}\n', /metadata.name "same" .*|not a valid DNS-1123/],
  ];
  for (const [name, source, message] of cases) {
    test(name, () => {
      const template = compileProbe(source, 'my-template');
      const ctx = contextWith([
        { name: 'a', value: name === 'an invalid explicit name' ? 'Not_Valid' : 'same' },
        { name: 'b', value: 'same' },
      ]);
      assert.throws(
        () => template.render(ctx, identityOf(ctx)),
        (error: unknown) => error instanceof RenderError && error.message.startsWith('template my-template: ') && message.test(error.message),
      );
    });
  }
});

describe('naming', () => {
  const ctx = contextWith();
  test('generateName becomes a deterministic name; the same event gives the same name', () => {
    const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata:\n  generateName: {{dns1123 runConfiguration.name 40}}-\n');
    const first = template.render(ctx, identityOf(ctx)).metadata;
    assert.match(first.name, /^penguin-training-[0-9a-f]{10}$/);
    assert.equal(first.generateName, undefined);
    assert.equal(template.render(ctx, identityOf(ctx)).metadata.name, first.name);
    const another = contextWith(undefined, { event: { ...ctx.event, id: 'another-delivery' } });
    const other = template.render(another, identityOf(another)).metadata.name;
    assert.notEqual(other, first.name);
  });
  test('an explicit name is kept', () => {
    const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata:\n  name: fixed-{{shortSha git.sha}}\n  generateName: ignored-\n');
    assert.deepEqual(template.render(ctx, identityOf(ctx)).metadata, { name: `fixed-${ctx.git?.sha?.slice(0, 7)}` });
  });
  test('with neither, the context name', () => {
    const template = compileProbe('apiVersion: v1\nkind: Probe\nmetadata: {}\n');
    assert.equal(template.render(ctx, identityOf(ctx)).metadata.name, ctx.name);
  });
});

test('a block parameter named like a helper is the parameter, as in Handlebars', () => {
  const template = compileProbe(`${HEAD}value: "{{#each parameters as |json|}}{{json.name}}={{json.value}};{{/each}}{{#with event as |lower|}}{{lower}}{{/with}}"\n`);
  const ctx = contextWith([{ name: 'a', value: '1' }]);
  assert.throws(() => template.render(ctx, identityOf(ctx)), /mapping/);
  const plain = compileProbe(`${HEAD}value: "{{#each parameters as |json|}}{{json.name}}={{json.value}};{{/each}}{{#each git.changedPaths as |upper|}}{{upper}}{{/each}}"\n`);
  assert.equal(plain.render(ctx, identityOf(ctx)).value, `a=1;${ctx.git?.changedPaths?.join('')}`);
});
