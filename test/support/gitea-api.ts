// Gitea's REST API (/api/v1), as the forge tests drive it: plain fetch with the admin's token.
// Every helper throws on an answer other than 2xx, with the status and Gitea's message.
import type { GiteaServer } from './gitea.ts';

export type GiteaClient = Pick<GiteaServer, 'url' | 'admin'>;

export interface GiteaRepository {
  readonly id: number;
  readonly owner: string;
  readonly name: string;
  /** owner/name */
  readonly fullName: string;
  /** http://127.0.0.1:PORT/owner/name.git, without credentials. */
  readonly cloneUrl: string;
  readonly htmlUrl: string;
  readonly defaultBranch: string;
}

export interface GiteaWebhook {
  readonly id: number;
  readonly repository: GiteaRepository;
  readonly url: string;
}

export interface GiteaPullRequest {
  readonly number: number;
  readonly htmlUrl: string;
  readonly headSha: string;
  readonly state: string;
  readonly merged: boolean;
}

/**
 * The events a new webhook sends by default: branches and tags pushed, created and deleted,
 * releases, and every pull request event (opened, synchronized, closed, reopened, edited,
 * labelled, ...). Gitea's names, as its API takes them.
 */
export const DEFAULT_WEBHOOK_EVENTS = ['push', 'create', 'delete', 'release', 'pull_request'] as const;

export async function giteaApi<T>(gitea: GiteaClient, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${gitea.url}/api/v1${path}`, {
    method,
    headers: { authorization: `token ${gitea.admin.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Gitea ${method} ${path} answered ${res.status}: ${text.trim()}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

interface RepositoryJson {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  clone_url: string;
  html_url: string;
  default_branch: string;
}

/** A repository of the admin's, with a first commit (README) on its default branch. */
export async function createRepository(gitea: GiteaClient, opts: { name: string; defaultBranch?: string; private?: boolean }): Promise<GiteaRepository> {
  const repo = await giteaApi<RepositoryJson>(gitea, 'POST', '/user/repos', {
    name: opts.name,
    auto_init: true,
    readme: 'Default',
    default_branch: opts.defaultBranch ?? 'main',
    private: opts.private ?? false,
  });
  return {
    id: repo.id,
    owner: repo.owner.login,
    name: repo.name,
    fullName: repo.full_name,
    cloneUrl: repo.clone_url,
    htmlUrl: repo.html_url,
    defaultBranch: repo.default_branch,
  };
}

export interface CreateWebhookOptions {
  /** Where Gitea delivers. */
  url: string;
  /** HMAC-SHA256 key of X-Gitea-Signature; an empty string makes an unsigned hook. */
  secret: string;
  events?: readonly string[];
  /** Gitea's branch filter (a glob over branch names); every branch by default. */
  branchFilter?: string;
  /** Sent as the Authorization header of every delivery. */
  authorizationHeader?: string;
}

/** A JSON webhook of type "gitea" (the one that signs with X-Gitea-Signature). */
export async function createWebhook(gitea: GiteaClient, repository: GiteaRepository, opts: CreateWebhookOptions): Promise<GiteaWebhook> {
  const hook = await giteaApi<{ id: number }>(gitea, 'POST', `/repos/${repository.fullName}/hooks`, {
    type: 'gitea',
    config: { url: opts.url, content_type: 'json', secret: opts.secret },
    events: [...(opts.events ?? DEFAULT_WEBHOOK_EVENTS)],
    branch_filter: opts.branchFilter ?? '*',
    ...(opts.authorizationHeader === undefined ? {} : { authorization_header: opts.authorizationHeader }),
    active: true,
  });
  return { id: hook.id, repository, url: opts.url };
}

/** Gitea's "Test delivery": a push event made up from the default branch's last commit. */
export async function testWebhook(gitea: GiteaClient, hook: GiteaWebhook): Promise<void> {
  await giteaApi(gitea, 'POST', `/repos/${hook.repository.fullName}/hooks/${hook.id}/tests`);
}

interface PullRequestJson {
  number: number;
  html_url: string;
  state: string;
  merged: boolean;
  head: { sha: string };
}

function pullRequest(pr: PullRequestJson): GiteaPullRequest {
  return { number: pr.number, htmlUrl: pr.html_url, headSha: pr.head.sha, state: pr.state, merged: pr.merged };
}

/** Opens a pull request from branch `head` (pushed already) into `base` (the default branch unless given). */
export async function openPullRequest(
  gitea: GiteaClient,
  repository: GiteaRepository,
  opts: { head: string; base?: string; title: string; body?: string },
): Promise<GiteaPullRequest> {
  const base = opts.base ?? repository.defaultBranch;
  return pullRequest(await giteaApi<PullRequestJson>(gitea, 'POST', `/repos/${repository.fullName}/pulls`, { head: opts.head, base, title: opts.title, body: opts.body ?? '' }));
}

export async function getPullRequest(gitea: GiteaClient, repository: GiteaRepository, number: number): Promise<GiteaPullRequest> {
  return pullRequest(await giteaApi<PullRequestJson>(gitea, 'GET', `/repos/${repository.fullName}/pulls/${number}`));
}

/** Closes without merging (a pull_request event with action "closed" and merged false). */
export async function closePullRequest(gitea: GiteaClient, repository: GiteaRepository, number: number): Promise<GiteaPullRequest> {
  return pullRequest(await giteaApi<PullRequestJson>(gitea, 'PATCH', `/repos/${repository.fullName}/pulls/${number}`, { state: 'closed' }));
}

export async function reopenPullRequest(gitea: GiteaClient, repository: GiteaRepository, number: number): Promise<GiteaPullRequest> {
  return pullRequest(await giteaApi<PullRequestJson>(gitea, 'PATCH', `/repos/${repository.fullName}/pulls/${number}`, { state: 'open' }));
}

/**
 * Merges with a merge commit (a pull_request "closed" event with merged true, and a push to the
 * base). Gitea checks whether a pull request can be merged in the background after every change
 * and answers 405 "Please try again later" until it knows; this waits for that, up to 30 s.
 */
export async function mergePullRequest(gitea: GiteaClient, repository: GiteaRepository, number: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await giteaApi(gitea, 'POST', `/repos/${repository.fullName}/pulls/${number}/merge`, { Do: 'merge' });
      return;
    } catch (error) {
      if (!/answered 405: .*try again later/i.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Publishes a release, creating its tag at `target` (a branch or SHA) if the tag does not exist. */
export async function createRelease(
  gitea: GiteaClient,
  repository: GiteaRepository,
  opts: { tag: string; target?: string; name?: string; body?: string },
): Promise<{ id: number }> {
  return giteaApi<{ id: number }>(gitea, 'POST', `/repos/${repository.fullName}/releases`, {
    tag_name: opts.tag,
    target_commitish: opts.target ?? repository.defaultBranch,
    name: opts.name ?? opts.tag,
    body: opts.body ?? '',
    draft: false,
    prerelease: false,
  });
}
