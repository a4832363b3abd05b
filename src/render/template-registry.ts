/**
 * Loads every `<name>.yaml.hbs` from the shipped templates directory, then from each configured
 * directory in order; a later file of the same name overrides an earlier one. Every template is
 * compiled at load time, and every problem is reported as `<file>:<line>`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.ts';
import { compileTemplate, type CompiledTemplate } from './compile-template.ts';
import { createTemplateEnvironment } from './create-template-environment.ts';
import { SHIPPED_TEMPLATES_DIRECTORY } from './shipped-templates-directory.ts';

export type { CompiledTemplate } from './compile-template.ts';

export interface TemplateRegistry {
  get(name: string): CompiledTemplate | undefined;
  /** Loaded template names, sorted. */
  names(): string[];
  readonly problems: ConfigIssue[];
}

export interface LoadTemplatesOptions {
  /** Default: `templates/` at the package root. */
  shippedDirectory?: string;
  /** What problem paths are shown relative to. Default: process.cwd(). */
  cwd?: string;
}

export const TEMPLATE_SUFFIX = '.yaml.hbs';

export async function loadTemplates(
  directories: readonly string[],
  options: LoadTemplatesOptions = {},
): Promise<TemplateRegistry> {
  const cwd = options.cwd ?? process.cwd();
  const shown = (path: string): string => {
    const rel = relative(cwd, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };
  const environment = createTemplateEnvironment();
  const templates = new Map<string, CompiledTemplate>();
  const problems: ConfigIssue[] = [];
  for (const directory of [options.shippedDirectory ?? SHIPPED_TEMPLATES_DIRECTORY, ...directories]) {
    const dir = resolve(cwd, directory);
    let files: string[];
    try {
      files = (await readdir(dir, { withFileTypes: true }))
        .filter((entry) => entry.isFile() && entry.name.endsWith(TEMPLATE_SUFFIX) && entry.name.length > TEMPLATE_SUFFIX.length)
        .map((entry) => entry.name)
        .sort();
    } catch (error) {
      problems.push({ path: shown(dir), message: `cannot read template directory: ${(error as Error).message}` });
      continue;
    }
    for (const fileName of files) {
      const file = join(dir, fileName);
      const name = fileName.slice(0, -TEMPLATE_SUFFIX.length);
      let source: string;
      try {
        source = await readFile(file, 'utf8');
      } catch (error) {
        problems.push({ path: shown(file), message: `cannot read template: ${(error as Error).message}` });
        templates.delete(name);
        continue;
      }
      const result = compileTemplate(source, { name, file, environment });
      if (result.ok) {
        templates.set(name, result.template);
      } else {
        templates.delete(name);
        for (const p of result.problems) problems.push({ path: `${shown(file)}:${p.line}`, message: p.message });
      }
    }
  }
  return {
    get: (name) => templates.get(name),
    names: () => [...templates.keys()].sort(),
    problems,
  };
}
