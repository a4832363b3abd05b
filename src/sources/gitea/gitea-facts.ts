/**
 * GitFacts of Gitea's and Forgejo's deliveries. Their payloads follow GitHub's shapes, so GitHub's
 * readers do most of the work; what differs is handled here:
 * - a deleted branch or tag comes as a `delete` event only (no push): it is the deletion fact
 *   (`viaPush`, `deleted`), so `includeDeletions` works as on GitHub;
 * - a push carries no `created`/`deleted` flags: a push from all zeros created the ref;
 * - a tag push's `after` is the annotated tag object: `sha` is the tagged commit (`head_commit`);
 * - `synchronized` is the action `synchronize` of every other forge;
 * - a pull request is from a fork when its head repository is not its base repository.
 */
import type { GitFacts, GitProvider } from '../../events/event.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';
import { githubBaseFacts } from '../github/base-facts.ts';
import { pullRequestFacts } from '../github/pull-request-facts.ts';
import { pushFacts } from '../github/push-facts.ts';
import { refFacts } from '../github/ref-facts.ts';
import { releaseFacts } from '../github/release-facts.ts';
import { fieldAt } from '../webhook/payload-fields.ts';

export function giteaFacts(provider: GitProvider, event: string, payload: Readonly<Record<string, unknown>>): GitFacts {
  const base = (requireRepository: boolean) => ({ ...githubBaseFacts(event, payload, requireRepository), provider });
  switch (event) {
    case 'push': {
      const facts = pushFacts(payload, base(true));
      const headCommit = fieldAt(payload, ['head_commit', 'id']);
      const sha = facts.kind === 'tag' && typeof headCommit === 'string' ? headCommit : facts.sha;
      return withoutUndefined<GitFacts>({ ...facts, sha, shortSha: sha?.slice(0, 7), created: facts.before === undefined });
    }
    case 'create':
      return refFacts('create', payload, base(true));
    case 'delete': {
      const facts = refFacts('delete', payload, base(true));
      return { ...facts, viaPush: true, kind: facts.tag !== undefined ? 'tag' : facts.branch !== undefined ? 'push' : 'other' };
    }
    case 'pull_request': {
      const facts = pullRequestFacts(payload, base(true));
      const pullRequest = facts.pullRequest!;
      const headRepo = fieldAt(payload, ['pull_request', 'head', 'repo_id']);
      const baseRepo = fieldAt(payload, ['pull_request', 'base', 'repo_id']);
      const fromFork = typeof headRepo === 'number' && typeof baseRepo === 'number' ? headRepo !== baseRepo : pullRequest.fromFork;
      return withoutUndefined<GitFacts>({ ...facts, action: facts.action === 'synchronized' ? 'synchronize' : facts.action, pullRequest: { ...pullRequest, fromFork } });
    }
    case 'release':
      return releaseFacts(payload, base(true));
    default:
      return withoutUndefined<GitFacts>({ ...base(false), kind: 'other', action: typeof payload['action'] === 'string' ? payload['action'] : undefined, deleted: false, created: false });
  }
}
