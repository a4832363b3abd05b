/** Compiles throwaway templates for the tests, through the same path as the registry. */
import assert from 'node:assert/strict';
import { compileTemplate, type CompiledTemplate } from '../../src/render/compile-template.ts';
import { createTemplateEnvironment } from '../../src/render/create-template-environment.ts';
import type { TemplateContext } from '../../src/render/template-context.ts';
import { identityOf } from './render-fixtures.ts';

const environment = createTemplateEnvironment();

export function compileProbe(source: string, name = 'probe'): CompiledTemplate {
  const result = compileTemplate(source, { name, file: `${name}.yaml.hbs`, environment });
  if (!result.ok) assert.fail(`probe did not compile: ${JSON.stringify(result.problems)}`);
  return result.template;
}

export function problemsOf(source: string): { line: number; message: string }[] {
  const result = compileTemplate(source, { name: 'probe', file: 'probe.yaml.hbs', environment });
  return result.ok ? [] : [...result.problems];
}

/** Renders `value: <body>` inside a minimal object and returns what `value` became. */
export function renderValue(body: string, ctx: TemplateContext): unknown {
  const template = compileProbe(`apiVersion: v1\nkind: Probe\nmetadata:\n  name: probe\nvalue: ${body}\n`);
  return template.render(ctx, identityOf(ctx)).value;
}
