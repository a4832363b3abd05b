/**
 * Loading a configuration: YAML → schema → paths resolved → templates loaded and compiled →
 * semantic validation → frozen. Every problem of a stage is reported at once, each with its field
 * path and, where the file has it, its line; any error throws one ConfigError listing them all.
 *
 * The YAML is read on the light path (parseYamlPlain: a plain value, no positions); a document
 * with node positions, which costs ~8× the memory of the value, is parsed only when there is a
 * problem to put a line on (of the part of the file the problem is in: locate-lines.ts), or when
 * the light path declines the text.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { loadTemplates } from '../render/template-registry.ts';
import { configSchema } from './schema.ts';
import { parseConfigYaml, type ParsedConfigYaml } from './parse-config-yaml.ts';
import { parseYamlPlain } from './parse-yaml-plain.ts';
import { forbiddenKeys } from './forbidden-keys.ts';
import { schemaIssues } from './schema-issues.ts';
import { parseFieldPath } from './field-path.ts';
import { locateLines, type LineOf } from './locate-lines.ts';
import { resolveConfigPaths } from './resolve-config-paths.ts';
import { validateConfig } from './validate.ts';
import { deepFreeze } from './deep-freeze.ts';
import type { Env } from './validate-sources.ts';
import type { LoadedConfig } from './loaded-config.ts';
import type { Config } from './schema.ts';
import type { CompileWhen } from '../triggers/when-expression.ts';

export type { LoadedConfig, CompiledRunConfiguration, ArtifactRef } from './loaded-config.ts';

export interface LoadTextOptions {
  /** Relative paths in the configuration are resolved against this directory. */
  readonly baseDir: string;
  /** How the configuration is named in messages. */
  readonly fileName: string;
  /** Used to warn about `fromEnv` secrets that are not set (default: process.env). */
  readonly env?: Env;
  /** The shipped templates directory (default: `templates/` of the package). */
  readonly templatesRoot?: string;
  /** "Now", for schedule windows (default: the wall clock). */
  readonly clock?: () => Date;
}

export interface LoadOptions extends Omit<LoadTextOptions, 'baseDir' | 'fileName'> {
  readonly readFile?: (path: string) => Promise<string>;
}

export async function loadConfig(file: string, options: LoadOptions = {}): Promise<LoadedConfig> {
  const path = resolve(file);
  const read = options.readFile ?? ((p: string) => fsReadFile(p, 'utf8'));
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ConfigError([{ path: '', message: `cannot read ${path} (${reason})` }], file);
  }
  return loadConfigText(text, { ...options, baseDir: dirname(path), fileName: path });
}

export async function loadConfigText(text: string, options: LoadTextOptions): Promise<LoadedConfig> {
  const { fileName, baseDir } = options;
  let document: ParsedConfigYaml | undefined;
  /** The positioned document; a YAML problem found there (the light path took the text) is the error. */
  const located = (): ParsedConfigYaml => {
    document ??= parseConfigYaml(text);
    if (document.issues.length > 0) throw new ConfigError(document.issues, fileName);
    return document;
  };
  const plain = parseYamlPlain(text);
  const value = plain ? plain.value : located().value;
  const lineOf = locateLines(text, plain?.split, located);
  const forbidden = forbiddenKeys(value);
  if (forbidden.length > 0) throw new ConfigError(withLines(forbidden, lineOf), fileName);
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) throw new ConfigError(withLines(schemaIssues(parsed.error.issues, value, configSchema), lineOf), fileName);
  const config = resolveConfigPaths(parsed.data, baseDir);
  const templates = await loadTemplates(
    config.templates.directories,
    { cwd: baseDir, ...(options.templatesRoot === undefined ? {} : { shippedDirectory: options.templatesRoot }) },
  );
  const result = validateConfig(config, templates, {
    now: (options.clock ?? (() => new Date()))(),
    baseDir,
    env: options.env ?? process.env,
    compileWhen: await loadWhenCompiler(config),
  });
  if (result.errors.length > 0) throw new ConfigError(withLines(result.errors, lineOf), fileName);
  // The configuration is plain data and frozen deeply; compiled templates and triggers hold library
  // objects (Handlebars, CEL) that are only frozen at the surface.
  return Object.freeze({
    config: deepFreeze(config),
    file: fileName,
    baseDir,
    templates,
    runConfigurations: Object.freeze(
      result.runConfigurations.map((rc) =>
        Object.freeze({ ...rc, gitTriggers: Object.freeze(rc.gitTriggers), upstreams: deepFreeze(rc.upstreams), artifactRefs: deepFreeze(rc.artifactRefs) }),
      ),
    ),
    warnings: deepFreeze(withLines(result.warnings, lineOf)),
  });
}

/** CEL (tens of MiB of memory) is imported only for a configuration with a git trigger's `when`. */
async function loadWhenCompiler(config: Config): Promise<CompileWhen | undefined> {
  const used = config.runConfigurations.some((rc) => rc.triggers.git.some((trigger) => trigger.when !== undefined));
  return used ? (await import('../triggers/when-expression.ts')).compileWhen : undefined;
}

/** Appends ` (line N)` to each issue whose path the YAML document can locate. */
function withLines(issues: readonly ConfigIssue[], lineOf: LineOf): ConfigIssue[] {
  return issues.map((issue) => {
    const segments = issue.path === '' ? undefined : parseFieldPath(issue.path);
    const line = segments && lineOf(segments);
    return line === undefined ? issue : { path: issue.path, message: `${issue.message} (line ${line})` };
  });
}
