/**
 * A run configuration's git triggers, compiled (globs, CEL `when`) by the matcher's own compiler so
 * that what loads is what matches. On top of its warnings: a trigger whose `paths` can never match
 * (only pull_request/release events, whose payloads carry no changed paths) is an error, and
 * unknown action names are flagged.
 */
import { compileGitTrigger, type CompiledGitTrigger, type GitTriggerCompilers } from '../triggers/git-trigger.ts';
import { PULL_REQUEST_ACTIONS, RELEASE_ACTIONS, type RunConfiguration } from './schema.ts';
import type { Report } from './report.ts';

const KNOWN_ACTIONS = new Set<string>([...PULL_REQUEST_ACTIONS, ...RELEASE_ACTIONS]);

export function validateGitTriggers(rc: RunConfiguration, path: string, compilers: GitTriggerCompilers, report: Report): CompiledGitTrigger[] {
  return rc.triggers.git.map((trigger, index) => {
    const at = `${path}.triggers.git[${index}]`;
    const { compiled, issues, warnings } = compileGitTrigger(trigger, at, compilers);
    for (const issue of issues) report.error(issue.path, issue.message);
    const pathsNeverMatch = trigger.paths !== undefined && trigger.events.every((e) => e === 'pull_request' || e === 'release');
    if (pathsNeverMatch) {
      report.error(
        `${at}.paths`,
        `pull_request and release payloads carry no changed paths (only push deliveries list them), so with events [${trigger.events.join(', ')}] this trigger never matches: trigger on push or drop paths`,
      );
    }
    for (const warning of warnings) {
      if (!(pathsNeverMatch && warning.path === `${at}.paths`)) report.warning(warning.path, warning.message);
    }
    (trigger.actions ?? []).forEach((action, a) => {
      if (!KNOWN_ACTIONS.has(action)) {
        report.warning(`${at}.actions[${a}]`, `${JSON.stringify(action)} is not an action runbridge classifies (known: ${[...KNOWN_ACTIONS].join(', ')}); it only matches if the forge sends it verbatim`);
      }
    });
    return compiled;
  });
}
