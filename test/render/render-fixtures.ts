/**
 * Shared fixtures for the render tests: the git facts of a real GitHub push delivery (from
 * @octokit/webhooks-examples, built by hand here) and a context that every shipped template can
 * render from.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GitFacts } from '../../src/events/event.ts';
import type { RunProvenance } from '../../src/render/render-run.ts';
import { runIdentity } from '../../src/render/run-name.ts';
import type { TemplateContext } from '../../src/render/template-context.ts';

interface PushExample {
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  repository: { full_name: string; html_url: string };
  sender: { login: string };
  head_commit: { id: string; message: string; added: string[]; removed: string[]; modified: string[] } | null;
  commits: { added: string[]; removed: string[]; modified: string[] }[];
}

const examples = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples'), 'utf8'),
) as { name: string; examples: unknown[] }[];

/** The first push example that pushes commits to a branch (refs/heads/master of Codertocat/Hello-World). */
export const PUSH = (examples.find((e) => e.name === 'push')?.examples as PushExample[]).find(
  (p) => p.ref.startsWith('refs/heads/') && p.commits.length > 0 && !p.deleted,
) as PushExample;

export function pushGitFacts(push: PushExample = PUSH): GitFacts {
  const changed = new Set(push.commits.flatMap((c) => [...c.added, ...c.removed, ...c.modified]));
  return {
    provider: 'github',
    event: 'push',
    viaPush: true,
    kind: 'push',
    repository: push.repository.full_name,
    repositoryUrl: push.repository.html_url,
    ref: push.ref,
    branch: push.ref.replace(/^refs\/heads\//, ''),
    sha: push.after,
    shortSha: push.after.slice(0, 7),
    before: push.before,
    deleted: push.deleted,
    created: push.created,
    actor: push.sender.login,
    changedPaths: [...changed].sort(),
    ...(push.head_commit ? { headCommitMessage: push.head_commit.message } : {}),
  };
}

export const DELIVERY_ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

/** Parameters covering every shipped template's reserved names plus two pass-through ones. */
export const GOLDEN_PARAMETERS: readonly { name: string; value: string }[] = [
  { name: 'provider', value: 'kfp-system/vertex-ai' },
  { name: 'pipeline', value: 'penguin-training:v3' },
  { name: 'experimentName', value: 'nightly' },
  { name: 'customApiVersion', value: 'custom.tekton.dev/v1alpha1' },
  { name: 'customKind', value: 'PipelineLoop' },
  { name: 'customName', value: 'penguin-loop' },
  { name: 'serviceAccountName', value: 'trainer' },
  { name: 'timeout', value: '1h0m0s' },
  { name: 'retries', value: '2' },
  { name: 'workflow', value: 'docker-build' },
  { name: 'workflowKind', value: 'ClusterWorkflow' },
  { name: 'ttlAfterCompletion', value: '7d' },
  { name: 'component', value: 'penguin-api' },
  { name: 'project', value: 'zoo' },
  { name: 'workflowTemplate', value: 'penguin-train' },
  { name: 'entrypoint', value: 'train' },
  { name: 'pipelineRef', value: 'build-and-push' },
  { name: 'workspace', value: 'source' },
  { name: 'workspaceSize', value: '2Gi' },
  { name: 'commit', value: PUSH.after },
  { name: 'branch', value: PUSH.ref.replace(/^refs\/heads\//, '') },
];

export function contextWith(
  parameters: readonly { name: string; value: string }[] = GOLDEN_PARAMETERS,
  overrides: Partial<TemplateContext> = {},
): TemplateContext {
  return {
    runConfiguration: { name: 'penguin-training', namespace: 'ml-pipelines' },
    params: Object.fromEntries(parameters.map((p) => [p.name, p.value])),
    parameters,
    labels: { team: 'ml' },
    annotations: { 'example.com/owner': 'ml-platform' },
    artifacts: [{ name: 'model', path: 'trainer:model' }],
    event: { id: DELIVERY_ID, source: 'github', type: 'github.push', time: '2019-05-15T15:20:30Z', trigger: 'git' },
    git: pushGitFacts(),
    name: 'penguin-training-0f1e2d3c4b',
    now: '2019-05-15T15:20:31Z',
    ...overrides,
  };
}

export function provenanceOf(ctx: TemplateContext): RunProvenance {
  return {
    runConfiguration: ctx.runConfiguration,
    event: { id: ctx.event.id, source: ctx.event.source, type: ctx.event.type, trigger: ctx.event.trigger },
    labels: ctx.labels,
    annotations: ctx.annotations,
    identity: identityOf(ctx),
  };
}

/** The run identity the dispatcher computes for the context's run configuration and event. */
export function identityOf(ctx: TemplateContext): string {
  return runIdentity(`${ctx.runConfiguration.namespace}/${ctx.runConfiguration.name}`, ctx.event.id);
}

/** Every key path of a JSON-like value, `spec.parameters[1].value` style, sorted. */
export function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => keyPaths(v, `${prefix}[${i}]`))];
  if (typeof value === 'object' && value !== null) {
    return [prefix, ...Object.keys(value).flatMap((k) => keyPaths((value as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k))];
  }
  return [prefix];
}
