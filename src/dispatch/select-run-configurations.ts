/**
 * Which run configurations an event starts, each with the reason when it does not. Git events go
 * through the compiled git triggers; ticks and manual runs name their one target. Completions
 * start runs only through the completion handler, whose dispatch plan decides them
 * (src/chaining/plan-downstreams.ts).
 */
import type { RunbridgeEvent } from '../events/event.ts';
import { matchRunConfiguration } from '../triggers/match-run-configuration.ts';
import type { CompiledGitTrigger } from '../triggers/git-trigger.ts';
import { matched, notMatched, type MatchResult } from '../triggers/match-result.ts';

export interface Selectable {
  readonly key: string;
  readonly gitTriggers: readonly CompiledGitTrigger[];
}

export function selectRunConfiguration(rc: Selectable, event: RunbridgeEvent): MatchResult {
  switch (event.trigger) {
    case 'git':
      return matchRunConfiguration({ triggers: { git: [...rc.gitTriggers] } }, event);
    case 'schedule':
    case 'manual':
      return event.target === rc.key ? matched(event.trigger) : notMatched(`${event.trigger} event is for ${event.target ?? 'nobody'}`);
    case 'runConfiguration':
      return notMatched('completion events start runs only through the completion handler (correlation, dedupe, join state)');
  }
}
