/**
 * A run configuration's template exists, and every `params.X` it needs is a declared parameter: a
 * template that reads an undeclared parameter would fail on every event, so it fails at load.
 * Parameters the template tests for itself (`{{#if params.x}}`, `default`) are optional.
 */
import type { RunConfiguration } from './schema.ts';
import type { CompiledTemplate, TemplateRegistry } from '../render/template-registry.ts';
import { closestKey } from './known-keys.ts';
import type { Report } from './report.ts';

export function validateTemplate(
  rc: RunConfiguration,
  path: string,
  templates: TemplateRegistry,
  report: Report,
): CompiledTemplate | undefined {
  const template = templates.get(rc.template);
  if (!template) {
    const names = templates.names();
    const suggestion = closestKey(rc.template, names);
    report.error(
      `${path}.template`,
      `unknown template ${JSON.stringify(rc.template)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; ` +
        `available: ${names.length ? names.join(', ') : 'none'}`,
    );
    return undefined;
  }
  const declared = new Set(rc.parameters.map((p) => p.name));
  for (const used of [...template.requiredParams].sort()) {
    if (!declared.has(used)) {
      report.error(
        `${path}.template`,
        `template ${template.name} uses params.${used}, which ${path}.parameters does not declare`,
      );
    }
  }
  return template;
}
