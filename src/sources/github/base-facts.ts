/** The GitFacts every GitHub delivery shares: provider, event name, whether it is the push, repository, actor. */
import type { GitFacts } from '../../events/event.ts';
import { optionalString, requiredString } from './fields.ts';

export type GithubBaseFacts = Pick<GitFacts, 'provider' | 'event' | 'viaPush' | 'repository' | 'repositoryUrl' | 'actor'>;

/**
 * `requireRepository`: the deliveries runbridge triggers on (push, pull_request, create, delete,
 * release) must name their repository. Others (ping of an organization hook, installation events)
 * legitimately have none; their repository is `''` and no repository filter matches them.
 */
export function githubBaseFacts(name: string, payload: unknown, requireRepository: boolean): GithubBaseFacts {
  const repository = requireRepository
    ? requiredString(payload, ['repository', 'full_name'], name)
    : (optionalString(payload, ['repository', 'full_name']) ?? '');
  const base: { -readonly [K in keyof GithubBaseFacts]: GithubBaseFacts[K] } = {
    provider: 'github',
    event: name,
    // A tag or branch created or deleted also comes as a `create` / `delete` delivery; only `push` is the push.
    viaPush: name === 'push',
    repository,
  };
  const repositoryUrl = optionalString(payload, ['repository', 'html_url']);
  if (repositoryUrl !== undefined) base.repositoryUrl = repositoryUrl;
  const actor = optionalString(payload, ['sender', 'login']);
  if (actor !== undefined) base.actor = actor;
  return base;
}
