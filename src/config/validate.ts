/**
 * Semantic validation of a configuration that passed the schema: every check runs and every
 * problem is collected (never stopping at the first), each with its field path. When there is no
 * error, the run configurations come back compiled.
 */
import type { ConfigIssue } from '../errors.ts';
import type { TemplateRegistry } from '../render/template-registry.ts';
import type { CompileWhen } from '../triggers/when-expression.ts';
import { sharedGlobLists } from '../triggers/shared-glob-lists.ts';
import { runConfigurationKey, type Config } from './schema.ts';
import type { CompiledRunConfiguration } from './loaded-config.ts';
import { createReport } from './report.ts';
import { templateProblems } from './template-problems.ts';
import { validateNames } from './validate-names.ts';
import { validateMetadata } from './validate-metadata.ts';
import { validateTemplate } from './validate-template.ts';
import { validateRunKind } from './validate-run-kind.ts';
import { validateGitTriggers } from './validate-git-triggers.ts';
import { validateSchedule } from './validate-schedule.ts';
import { validateArtifacts } from './validate-artifacts.ts';
import { validateParameters } from './validate-parameters.ts';
import { validateManual } from './validate-manual.ts';
import { validateDependencies } from './validate-dependencies.ts';
import { validateSources, type Env } from './validate-sources.ts';
import { validateStartable } from './validate-startable.ts';
import { validateIntake } from './validate-intake.ts';
import { validateDoors } from './validate-doors.ts';

export interface ValidateOptions {
  readonly now: Date;
  /** The configuration's directory (template problems are shown relative to it). */
  readonly baseDir: string;
  readonly env: Env;
  /** The CEL compiler of git triggers' `when`; loaded (and needed) only when some trigger has one. */
  readonly compileWhen: CompileWhen | undefined;
}

export interface ValidationResult {
  readonly errors: ConfigIssue[];
  readonly warnings: ConfigIssue[];
  /** Empty when there are errors. */
  readonly runConfigurations: CompiledRunConfiguration[];
}

export function validateConfig(config: Config, templates: TemplateRegistry, options: ValidateOptions): ValidationResult {
  const report = createReport();
  for (const problem of templateProblems(templates.problems, config.templates.directories, options.baseDir)) {
    report.error(problem.path, problem.message);
  }
  validateSources(config, options.env, report);
  validateIntake(config, report);
  validateDoors(config, report);
  validateNames(config.runConfigurations, report);
  const dependencies = validateDependencies(config.runConfigurations, report);
  validateStartable(config, dependencies, report);
  // The status watch runs with the Kubernetes sink only (without it, starting fails on its own).
  const watched = config.completions?.kubernetesWatch === true && config.sink.type === 'kubernetes';
  const triggerCompilers = { compileWhen: options.compileWhen, compileGlobs: sharedGlobLists() };
  const compiled = config.runConfigurations.map((rc, index) => {
    const path = `runConfigurations[${index}]`;
    validateMetadata(rc, path, report);
    validateArtifacts(rc, path, report);
    validateParameters(rc, path, report);
    validateManual(rc, path, config.api?.token !== undefined, report);
    rc.triggers.schedules.forEach((schedule, s) => validateSchedule(schedule, `${path}.triggers.schedules[${s}]`, options.now, report));
    const gitTriggers = validateGitTriggers(rc, path, triggerCompilers, report);
    const template = validateTemplate(rc, path, templates, report);
    if (template) validateRunKind(rc, template, path, { watched, now: options.now }, report);
    return template
      ? {
          key: runConfigurationKey(rc),
          spec: rc,
          template,
          gitTriggers,
          upstreams: dependencies.upstreams[index] ?? [],
          artifactRefs: dependencies.artifactRefs[index] ?? [],
        }
      : undefined;
  });
  const runConfigurations = report.errors.length === 0 ? compiled.filter((rc) => rc !== undefined) : [];
  return { errors: sortByPath(report.errors), warnings: sortByPath(report.warnings), runConfigurations };
}

/** Problems in file order: by path, with array indexes compared as numbers. */
function sortByPath(issues: ConfigIssue[]): ConfigIssue[] {
  const collator = new Intl.Collator('en', { numeric: true });
  return [...issues].sort((a, b) => collator.compare(a.path, b.path));
}
