import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplates } from '../../src/render/template-registry.ts';
import { SHIPPED_TEMPLATES_DIRECTORY } from '../../src/render/shipped-templates-directory.ts';
import { contextWith } from './render-fixtures.ts';

const SHIPPED = ['argo-workflow', 'kfp-run', 'openchoreo-workflowrun', 'tekton-customrun', 'tekton-pipelinerun', 'tekton-run', 'tensorstack-workflowrun'];

describe('loadTemplates', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'runbridge-templates-'));
    await mkdir(join(root, 'team'));
    await mkdir(join(root, 'broken'));
    await writeFile(join(root, 'team', 'kfp-run.yaml.hbs'), 'apiVersion: v1\nkind: Override\nmetadata: {}\n');
    await writeFile(join(root, 'team', 'custom.yaml.hbs'), 'apiVersion: v1\nkind: Custom\nmetadata: {}\nspec:\n  a: {{params.a}}\n');
    await writeFile(join(root, 'team', 'notes.md'), 'not a template');
    await writeFile(join(root, 'team', '.yaml.hbs'), 'a nameless file is ignored');
    await writeFile(join(root, 'broken', 'tekton-run.yaml.hbs'), 'apiVersion: v1\nkind: Broken\n\nvalue: {{{params.a}}}\n');
    await writeFile(join(root, 'broken', 'syntax.yaml.hbs'), 'apiVersion: v1\n{{#if a}}\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('the shipped directory is found from the module location and compiles cleanly', async () => {
    assert.match(SHIPPED_TEMPLATES_DIRECTORY, /templates\/?$/);
    const registry = await loadTemplates([]);
    assert.deepEqual(registry.problems, []);
    assert.deepEqual(registry.names(), SHIPPED);
    for (const name of SHIPPED) assert.equal(registry.get(name)?.name, name);
  });

  test('later directories add templates and override shipped ones by name', async () => {
    const registry = await loadTemplates([join(root, 'team')]);
    assert.deepEqual(registry.problems, []);
    assert.deepEqual(registry.names(), [...SHIPPED, 'custom'].sort());
    assert.equal(registry.get('kfp-run')?.render(contextWith(), 'identity').kind, 'Override');
    assert.equal(registry.get('kfp-run')?.file, join(root, 'team', 'kfp-run.yaml.hbs'));
    assert.deepEqual([...(registry.get('custom')?.usedParams ?? [])], ['a']);
  });

  test('problems carry file and line, relative to cwd; a broken override is not silently replaced by the shipped one', async () => {
    const registry = await loadTemplates(['broken', 'missing'], { cwd: root });
    assert.deepEqual(
      registry.problems.map((p) => p.path),
      ['broken/syntax.yaml.hbs:3', 'broken/tekton-run.yaml.hbs:4', 'missing'],
    );
    assert.match(registry.problems[0]?.message ?? '', /template syntax error/);
    assert.match(registry.problems[1]?.message ?? '', /raw text/);
    assert.match(registry.problems[2]?.message ?? '', /cannot read template directory/);
    assert.equal(registry.get('tekton-run'), undefined);
    assert.equal(registry.get('syntax'), undefined);
    assert.ok(registry.get('kfp-run'));
  });

  test('a different shipped directory can be injected', async () => {
    const registry = await loadTemplates([], { shippedDirectory: join(root, 'team') });
    assert.deepEqual(registry.names(), ['custom', 'kfp-run']);
  });
});
