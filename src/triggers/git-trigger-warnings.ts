/**
 * Git trigger settings that are valid but cannot do what they seem to: reported as warnings at
 * load time (the trigger still loads), each with its field path.
 */
import type { GitTrigger } from '../config/schema.ts';
import type { ConfigIssue } from '../errors.ts';
import { PULL_REQUEST_PATHS_EXPLANATION } from './git-trigger-policy.ts';

export function gitTriggerWarnings(trigger: GitTrigger, path: string): ConfigIssue[] {
  const events = new Set<string>(trigger.events);
  const warnings: ConfigIssue[] = [];
  if (trigger.paths !== undefined && events.has('pull_request')) {
    warnings.push({ path: `${path}.paths`, message: PULL_REQUEST_PATHS_EXPLANATION });
  }
  if (trigger.actions !== undefined && !events.has('pull_request') && !events.has('release')) {
    warnings.push({ path: `${path}.actions`, message: 'actions apply only to pull_request and release events; this trigger has neither' });
  }
  if (trigger.branches !== undefined && !events.has('push') && !events.has('pull_request')) {
    warnings.push({ path: `${path}.branches`, message: 'branches apply only to push and pull_request events; this trigger has neither' });
  }
  if (trigger.tags !== undefined && !events.has('tag') && !events.has('release')) {
    warnings.push({ path: `${path}.tags`, message: 'tags apply only to tag and release events; this trigger has neither' });
  }
  if (trigger.forks && !events.has('pull_request')) {
    warnings.push({ path: `${path}.forks`, message: 'forks applies only to pull_request events; this trigger has none' });
  }
  const blind = (trigger.forges ?? []).filter((forge) => forge === 'bitbucket-cloud' || forge === 'bitbucket-data-center');
  if (trigger.paths !== undefined && blind.length > 0 && blind.length === trigger.forges?.length) {
    warnings.push({ path: `${path}.paths`, message: `${blind.join(' and ')} list no changed files: this paths rule is never checked, every push matches it (with a note)` });
  }
  return warnings;
}
