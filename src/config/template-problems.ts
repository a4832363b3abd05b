/**
 * The template registry's problems, as configuration issues. Paths are shown relative to the
 * configuration's directory (as the user wrote them); a directory that cannot be read is reported
 * at the `templates.directories[i]` entry that names it.
 */
import { resolve } from 'node:path';
import type { ConfigIssue } from '../errors.ts';

export function templateProblems(problems: readonly ConfigIssue[], directories: readonly string[], baseDir: string): ConfigIssue[] {
  return problems.map((problem) => {
    const index = directories.indexOf(resolve(baseDir, problem.path));
    return index < 0 ? problem : { path: `templates.directories[${index}]`, message: `${problem.path}: ${problem.message}` };
  });
}
