/**
 * Does this event start this run configuration, and if not, why not. One branch per trigger type
 * (git here; schedule and upstream triggers join the switch as they are built). The matched trigger
 * is named by its position (`git[1]`); a non-match lists every trigger's reason.
 */
import type { RunbridgeEvent } from '../events/event.ts';
import { matchGitTrigger, type CompiledGitTrigger } from './git-trigger.ts';
import { matched, notMatched, type MatchResult } from './match-result.ts';

export interface MatchableRunConfiguration {
  readonly triggers: { readonly git: readonly CompiledGitTrigger[] };
}

export function matchRunConfiguration(rc: MatchableRunConfiguration, event: RunbridgeEvent): MatchResult {
  switch (event.trigger) {
    case 'git':
      return matchGitTriggers(rc.triggers.git, event);
    default:
      return notMatched('not a git event');
  }
}

function matchGitTriggers(triggers: readonly CompiledGitTrigger[], event: RunbridgeEvent): MatchResult {
  if (triggers.length === 0) return notMatched('no git triggers');
  let reasons = '';
  for (let index = 0; index < triggers.length; index++) {
    const result = matchGitTrigger(triggers[index]!, event);
    if (result.matched) return matched(`git[${index}]`, result.note);
    reasons += `${index === 0 ? '' : '; '}git[${index}]: ${result.reason}`;
  }
  return notMatched(reasons);
}
