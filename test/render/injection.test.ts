/**
 * The injection table: hostile values in every parameter of every shipped template, and in every
 * YAML position of a probe template. Whatever the value, the manifest keeps the shape it has with a
 * benign value (the same set of key paths), the value appears verbatim where the benign one did,
 * names and labels stay valid, and Object.prototype is untouched.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderError } from '../../src/errors.ts';
import type { CompiledTemplate } from '../../src/render/compile-template.ts';
import { isDns1123Label, isLabelValue, isQualifiedName } from '../../src/render/kubernetes-names.ts';
import { renderRun } from '../../src/render/render-run.ts';
import type { TemplateContext } from '../../src/render/template-context.ts';
import { loadTemplates } from '../../src/render/template-registry.ts';
import type { RunManifest } from '../../src/runs/run-manifest.ts';
import { contextWith, GOLDEN_PARAMETERS, keyPaths, provenanceOf } from './render-fixtures.ts';
import { compileProbe } from './probe.ts';

const BENIGN = 'Benign Value';

export const PAYLOADS: readonly [string, string][] = [
  ['double quotes', 'say "hi" \\" \\'],
  ['single quotes', "it's ''quoted''"],
  ['newlines', 'line1\nline2\r\nline3\n'],
  ['a mapping entry', 'a: b'],
  ['an indented mapping', 'x\n  injected: true\nspec:\n  evil: 1'],
  ['a list item', '- x'],
  ['a list item on a new line', '\n- injected'],
  ['Handlebars open', '{{params.provider}}'],
  ['Handlebars close', '}}{{'],
  ['triple-stash', '{{{x}}}'],
  ['shell variable', '${x}'],
  ['Tekton substitution', '$(params.x)'],
  ['comment', '# not a comment'],
  ['trailing comment', 'value # tail'],
  ['anchor', '&anchor value'],
  ['alias', '*alias'],
  ['tag', '!!python/object:os.system'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['JSON object', '{"a":1,"__proto__":{"polluted":true}}'],
  ['JSON list', '[1,2]'],
  ['flow mapping', '{ a: 1 }'],
  ['document start', '---'],
  ['document end', '...'],
  ['documents', 'a\n---\nkind: Secret\n...\n'],
  ['10 kB', `${'0123456789'.repeat(1000)}`],
  ['RTL marks', '\u202Eevil\u202C\u200F'],
  ['emoji', '🚀 launch 👩‍👩‍👧'],
  ['NUL and control characters', 'a\u0000b\u0007c\u001b[31m'],
  ['a YAML boolean', 'true'],
  ['a YAML null', 'null'],
  ['a YAML number', '0x1F'],
  ['a tilde', '~'],
  ['this render’s marker shape', 'rbslot0123456789abcdef0123456789abcdefn0x'],
  ['the canonical marker', 'rbslotn0x rbslotn1x'],
  ['a percent directive', '%YAML 1.1'],
  ['a merge key', '<<: *x'],
];

const registry = await loadTemplates([]);
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

function render(template: CompiledTemplate, ctx: TemplateContext): RunManifest {
  return renderRun(template, ctx, provenanceOf(ctx));
}

function withParameter(name: string, value: string, base = GOLDEN_PARAMETERS): TemplateContext {
  return contextWith(base.map((p) => (p.name === name ? { name, value } : p)));
}

/** Every path whose value (a string) holds the benign value, and what it was. */
function benignPlaces(manifest: RunManifest): Map<string, string> {
  const places = new Map<string, string>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string' && value.includes(BENIGN)) places.set(path, value);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (typeof value === 'object' && value !== null) for (const k of Object.keys(value)) walk((value as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(manifest, '$');
  return places;
}

function valueAt(manifest: RunManifest, path: string): unknown {
  const steps = [...path.slice(1).matchAll(/\.([^.[]+)|\[(\d+)\]/g)].map((m) => m[1] ?? Number(m[2]));
  return steps.reduce<unknown>((v, step) => (v as Record<string | number, unknown> | undefined)?.[step], manifest);
}

function assertValidNames(manifest: RunManifest): void {
  assert.ok(isDns1123Label(manifest.metadata.name), `name ${JSON.stringify(manifest.metadata.name)}`);
  for (const [key, value] of Object.entries(manifest.metadata.labels ?? {})) {
    assert.ok(isQualifiedName(key), `label key ${JSON.stringify(key)}`);
    assert.ok(isLabelValue(value), `label ${key}=${JSON.stringify(value)}`);
  }
}

function assertSameShapeAndVerbatim(template: CompiledTemplate, benign: TemplateContext, hostile: TemplateContext, payload: string, skip: ReadonlySet<string> = new Set()): void {
  const expected = render(template, benign);
  const actual = render(template, hostile);
  assert.deepEqual(keyPaths(actual).sort(), keyPaths(expected).sort(), 'the set of key paths changed');
  for (const [path, benignText] of benignPlaces(expected)) {
    if (skip.has(path)) continue;
    assert.equal(valueAt(actual, path), benignText.split(BENIGN).join(payload), `value at ${path}`);
  }
  assertValidNames(actual);
}

describe('hostile parameter values in every shipped template', () => {
  for (const name of registry.names()) {
    const template = registry.get(name);
    assert.ok(template);
    for (const parameter of GOLDEN_PARAMETERS.filter((p) => p.name !== 'retries')) {
      test(`${name}: params.${parameter.name}`, () => {
        const benign = withParameter(parameter.name, BENIGN);
        assert.ok(benignPlaces(render(template, benign)).size > 0 || !template.usedParams.has(parameter.name) || parameter.name === 'component' || parameter.name === 'project');
        for (const [label, payload] of PAYLOADS) {
          try {
            assertSameShapeAndVerbatim(template, benign, withParameter(parameter.name, payload), payload);
          } catch (error) {
            throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
          }
        }
      });
    }
  }

  test('a hostile retries count is a render error, not a different manifest', () => {
    const template = registry.get('tekton-customrun');
    assert.ok(template);
    for (const [, payload] of PAYLOADS) {
      assert.throws(() => render(template, withParameter('retries', payload)), RenderError);
    }
  });
});

describe('hostile values in every YAML position of a probe template', () => {
  const probe = compileProbe(
    `apiVersion: example.dev/v1
kind: Probe
metadata:
  generateName: {{dns1123 params.target 30}}-
  labels:
    branch: {{labelValue git.branch}}
    target: {{labelValue params.target}}
  annotations:
    message: {{git.headCommitMessage}}
    target: "{{params.target}}"
spec:
  plain: {{params.target}}
  single: '{{params.target}}'
  double: "{{params.target}}"
  block: |
    {{params.target}}
  folded: >-
    {{params.target}}
  prefixed: prefix-{{params.target}}-suffix
  twice: {{params.target}}{{params.target}}
  flow: [{{params.target}}, "{{params.target}}", {k: {{params.target}} }]
  list:
    - {{params.target}}
    - name: {{params.target}}
  json: {{json params.target}}
  commit: {{git.sha}}
  # a comment: {{params.target}}
  lower: {{lower params.target}}
  {{#each parameters}}
  each-{{@index}}: {{value}}
  {{/each}}
`,
    'probe-positions',
  );
  const ctxFor = (target: string, message: string): TemplateContext => {
    const base = contextWith([{ name: 'target', value: target }]);
    return { ...base, ...(base.git ? { git: { ...base.git, branch: target, headCommitMessage: message } } : {}) };
  };

  for (const [label, payload] of PAYLOADS) {
    test(label, () => {
      const benign = ctxFor(BENIGN, BENIGN);
      assertSameShapeAndVerbatim(probe, benign, ctxFor(payload, payload), payload, new Set(['$.spec.json']));
      const actual = render(probe, ctxFor(payload, payload));
      assert.equal(JSON.parse(String((actual.spec as Record<string, unknown>).json)), payload);
      assert.equal(typeof (actual.spec as Record<string, unknown>).plain, 'string');
    });
  }
});

describe('hostile values as mapping keys', () => {
  test('OpenChoreo parameter names become own keys, nothing else changes', () => {
    const template = registry.get('openchoreo-workflowrun');
    assert.ok(template);
    const base = GOLDEN_PARAMETERS.filter((p) => template.requiredParams.has(p.name));
    for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a: b', '- x', '{{x}}', '---']) {
      const ctx = contextWith([...base, { name: key, value: '{"polluted": true}' }]);
      const rendered: Record<string, unknown> = (render(template, ctx).spec as { workflow: { parameters: Record<string, unknown> } }).workflow.parameters;
      assert.deepEqual(Object.keys(rendered), [key]);
      assert.ok(Object.hasOwn(rendered, key));
      assert.equal(Object.getOwnPropertyDescriptor(rendered, key)?.value, '{"polluted": true}');
      assert.equal(Object.getPrototypeOf(rendered), Object.prototype);
    }
  });

  test('a value used as a key in a probe stays one key', () => {
    const probe = compileProbe('apiVersion: v1\nkind: Probe\nmetadata: {}\nspec:\n  {{params.k}}: v\n  fixed: 1\n', 'probe-keys');
    for (const [, payload] of PAYLOADS) {
      const spec = render(probe, contextWith([{ name: 'k', value: payload }])).spec as Record<string, unknown>;
      assert.deepEqual(Object.keys(spec).sort(), [payload, 'fixed'].sort());
      assert.equal(Object.getOwnPropertyDescriptor(spec, payload)?.value, 'v');
    }
  });
});

test('Object.prototype is not polluted by any of the above', () => {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).a, undefined);
});
