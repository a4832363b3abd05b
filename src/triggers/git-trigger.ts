/**
 * Git triggers, compiled once at load time and matched against every git event.
 *
 * Event kinds: `push` is a push to a branch (never a tag); `tag` is a push of a tag (a forge's
 * create/delete deliveries are ignored, so a tag starts one run);
 * `pull_request` and `release` filter on `actions` (defaults in git-trigger-policy.ts; `closed`
 * also matches a merge, `merged` only a merge). `branches` filter push and pull_request events (the
 * base branch), `tags` filter tag and release events, so `events: [push, tag]` with both lists means
 * "pushes to these branches or these tags". Checks run cheapest first and the first failing one is
 * the reason: forge, event, repository, deletion, action, fork, branches, tags, paths, `when`.
 *
 * Forges: `forges` limits a trigger to the named forges. A pull request from a fork never matches
 * unless `forks: true` (its code was not written by the repository's owners). Where the payload
 * cannot list every changed path (GitFacts.changedPathsIncomplete: GitLab's 20-commit limit,
 * Bitbucket's lists of none), a `paths` rule that finds no match among the listed paths matches
 * anyway, and the match carries a note saying so: a run too many is visible, a run missed is not.
 *
 * `when` is compiled by the CEL compiler the caller passes (when-expression.ts): CEL costs tens of
 * MiB of memory, so the configuration loader imports it only when some trigger has a `when`. Globs
 * are compiled by `compileGlobs`: the loader passes one that shares a list's compiled form across
 * the triggers that write it (shared-glob-lists.ts).
 */
import type { GitTrigger } from '../config/schema.ts';
import type { ConfigIssue } from '../errors.ts';
import type { GitFacts, RunbridgeEvent } from '../events/event.ts';
import { compileGlobList, formatList, type GlobList } from './glob-list.ts';
import type { CompileGlobs } from './shared-glob-lists.ts';
import { gitTriggerWarnings } from './git-trigger-warnings.ts';
import { DEFAULT_PULL_REQUEST_ACTIONS, DEFAULT_RELEASE_ACTIONS, PULL_REQUEST_PATHS_REASON } from './git-trigger-policy.ts';
import { matched, notMatched, type MatchResult } from './match-result.ts';
import type { CompileWhen, WhenExpression } from './when-expression.ts';

interface ActionFilter {
  readonly actions: ReadonlySet<string>;
  readonly label: string;
}

export interface CompiledGitTrigger {
  /** The config field path the trigger was compiled from. */
  readonly path: string;
  readonly source: GitTrigger;
  readonly events: ReadonlySet<string>;
  readonly eventsLabel: string;
  readonly pullRequestActions: ActionFilter;
  readonly releaseActions: ActionFilter;
  readonly repository: GlobList | undefined;
  readonly branches: GlobList | undefined;
  readonly tags: GlobList | undefined;
  readonly paths: GlobList | undefined;
  readonly when: WhenExpression | undefined;
  readonly includeDeletions: boolean;
  readonly forges: ReadonlySet<string> | undefined;
  readonly forgesLabel: string;
  readonly forks: boolean;
}

export interface GitTriggerCompilers {
  readonly compileWhen?: CompileWhen | undefined;
  readonly compileGlobs?: CompileGlobs;
}

function actionFilter(actions: readonly string[]): ActionFilter {
  return { actions: new Set(actions), label: formatList(actions) };
}

export function compileGitTrigger(
  trigger: GitTrigger,
  path: string,
  { compileWhen, compileGlobs = compileGlobList }: GitTriggerCompilers = {},
): { compiled: CompiledGitTrigger; issues: ConfigIssue[]; warnings: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const globs = (patterns: string[] | undefined, field: string, nocase = false, single = false): GlobList | undefined => {
    if (patterns === undefined) return undefined;
    const result = compileGlobs(patterns, `${path}.${field}`, { nocase });
    // A single repository is written as a string: its issues are on the field, not on [0].
    for (const issue of result.issues) issues.push(single ? { ...issue, path: `${path}.${field}` } : issue);
    return result.list;
  };
  const repository = trigger.repository;
  const repositories = typeof repository === 'string' ? [repository] : repository;
  let when: WhenExpression | undefined;
  if (trigger.when !== undefined) {
    if (compileWhen === undefined) throw new Error(`${path}.when: compiling a git trigger with a when expression needs the CEL compiler`);
    const result = compileWhen(trigger.when, `${path}.when`);
    issues.push(...result.issues);
    when = result.when;
  }
  const compiled: CompiledGitTrigger = {
    path,
    source: trigger,
    events: new Set(trigger.events),
    eventsLabel: formatList(trigger.events),
    pullRequestActions: actionFilter(trigger.actions ?? DEFAULT_PULL_REQUEST_ACTIONS),
    releaseActions: actionFilter(trigger.actions ?? DEFAULT_RELEASE_ACTIONS),
    repository: globs(repositories, 'repository', true, typeof repository === 'string'),
    branches: globs(trigger.branches, 'branches'),
    tags: globs(trigger.tags, 'tags'),
    paths: globs(trigger.paths, 'paths'),
    when,
    includeDeletions: trigger.includeDeletions,
    forges: trigger.forges === undefined ? undefined : new Set(trigger.forges),
    forgesLabel: formatList(trigger.forges ?? []),
    forks: trigger.forks,
  };
  return { compiled, issues, warnings: gitTriggerWarnings(trigger, path) };
}

export function matchGitTrigger(trigger: CompiledGitTrigger, event: RunbridgeEvent): MatchResult {
  const git = event.git;
  if (event.trigger !== 'git' || git === undefined) return notMatched('not a git event');
  const kind = git.kind;
  if (trigger.forges !== undefined && !trigger.forges.has(git.provider)) return notMatched(`forge ${git.provider} not in ${trigger.forgesLabel}`);
  const eventReason = eventMismatch(trigger, git);
  if (eventReason !== undefined) return notMatched(eventReason);
  if (trigger.repository !== undefined && !trigger.repository.matches(git.repository)) {
    const written = trigger.source.repository;
    const label = typeof written === 'string' ? written : trigger.repository.label;
    return notMatched(`repository ${git.repository || '(none)'} does not match ${label}`);
  }
  if (git.deleted && !trigger.includeDeletions) {
    return notMatched(`${kind === 'tag' ? 'tag' : 'branch'} deletion (set includeDeletions to trigger on deletions)`);
  }
  const filter = kind === 'pull_request' ? trigger.pullRequestActions : kind === 'release' ? trigger.releaseActions : undefined;
  if (filter !== undefined) {
    const action = git.action ?? '';
    if (!filter.actions.has(action) && !(action === 'merged' && filter.actions.has('closed'))) {
      return notMatched(`action ${action || '(none)'} not in ${filter.label}`);
    }
  }
  if (git.pullRequest?.fromFork === true && !trigger.forks) {
    return notMatched(`pull request #${git.pullRequest.number} comes from a fork (set forks: true to run code from forks, which the repository's owners did not write)`);
  }
  if (trigger.branches !== undefined && (kind === 'push' || kind === 'pull_request')) {
    const branch = git.branch ?? '';
    if (!trigger.branches.matches(branch)) return notMatched(`branch ${branch} not in ${trigger.branches.label}`);
  }
  if (trigger.tags !== undefined && (kind === 'tag' || kind === 'release')) {
    const tag = git.tag ?? '';
    if (!trigger.tags.matches(tag)) return notMatched(`tag ${tag} not in ${trigger.tags.label}`);
  }
  let note: string | undefined;
  if (trigger.paths !== undefined) {
    const reason = pathsMismatch(trigger.paths, kind, git.changedPaths);
    if (reason !== undefined && kind !== 'pull_request' && git.changedPathsIncomplete !== undefined) {
      note = `paths ${trigger.paths.label} not checked: ${git.changedPathsIncomplete} (${reason})`;
    } else if (reason !== undefined) return notMatched(reason);
  }
  if (trigger.when !== undefined) {
    const outcome = trigger.when.evaluate(event);
    if (outcome === false) return notMatched('when expression was false');
    if (outcome !== true) return notMatched(`when expression failed: ${outcome.error}`);
  }
  return matched(trigger.path, note);
}

function eventMismatch(trigger: CompiledGitTrigger, git: GitFacts): string | undefined {
  const { kind, event, viaPush } = git;
  if (kind === 'other' && viaPush) return `push of ${git.ref ?? '(no ref)'} is neither a branch nor a tag push`;
  if (kind === 'tag' && !viaPush) {
    return trigger.events.has('tag')
      ? `${event} delivery of tag ${git.tag ?? ''} ignored: tag triggers fire on the tag's push delivery`
      : `event ${event} not in ${trigger.eventsLabel}`;
  }
  if (trigger.events.has(kind)) return undefined;
  return `event ${kind === 'other' ? event : kind} not in ${trigger.eventsLabel}`;
}

function pathsMismatch(paths: GlobList, kind: string, changed: readonly string[] | undefined): string | undefined {
  if (kind === 'pull_request') return PULL_REQUEST_PATHS_REASON;
  if (changed === undefined) return `${kind} payload carries no changed paths to match ${paths.label}`;
  for (const path of changed) if (paths.matches(path)) return undefined;
  const count = changed.length === 1 ? '1 path changed' : `${changed.length} paths changed`;
  return `no changed path matches ${paths.label} (${count})`;
}
