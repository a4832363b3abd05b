/**
 * The one normalized shape every source produces. CloudEvents-shaped: `id`, `source`, `type`,
 * `time`, `data`; plus the facts runbridge extracted from it so that matching and rendering never
 * dig through raw payloads.
 */
export type TriggerType = 'git' | 'schedule' | 'runConfiguration' | 'manual';

export interface RunbridgeEvent {
  /** Stable id: X-GitHub-Delivery, `<run configuration>@<slot>` for ticks, the CloudEvent id. */
  readonly id: string;
  /** Where it came from: `github`, `cron`, `nats`, `http`, `kubernetes`, `manual`. */
  readonly source: string;
  /** What it is: `github.push`, `github.pull_request`, `runbridge.schedule.tick`, `org.kubeflow.pipelines.run-completion`, … */
  readonly type: string;
  /** RFC 3339 time the event happened (a tick: the scheduled slot, not the wall clock). */
  readonly time: string;
  readonly trigger: TriggerType;
  /** The one run configuration (`namespace/name`) this event is for: schedule ticks and manual runs. */
  readonly target?: string;
  /** The raw payload, for `payloadPath` parameters and CEL expressions. Never spliced into manifests as structure. */
  readonly data: unknown;
  readonly git?: GitFacts;
  readonly schedule?: ScheduleFacts;
  readonly completion?: RunCompletion;
  /** Manual runs: parameter overrides given by the caller. */
  readonly manual?: ManualFacts;
}

export type GitEventKind = 'push' | 'pull_request' | 'tag' | 'release' | 'ping' | 'other';

export interface GitFacts {
  readonly provider: 'github';
  /** The X-GitHub-Event header value (`push`, `pull_request`, `create`, `release`, …). */
  readonly githubEvent: string;
  /** runbridge's own classification used by triggers. */
  readonly kind: GitEventKind;
  /** `opened`, `synchronize`, `reopened`, `closed`, `merged` (closed with merged=true), `published`, `created`, `deleted`, … */
  readonly action?: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly repositoryUrl?: string;
  /** Full ref, e.g. `refs/heads/main`, `refs/tags/v1.2.0`. */
  readonly ref?: string;
  /** Branch name without `refs/heads/` (push to a branch; pull request: the base branch). */
  readonly branch?: string;
  /** Tag name without `refs/tags/`. */
  readonly tag?: string;
  /** The commit the run should build (push: `after`; pull request: head sha; tag: the tagged commit). */
  readonly sha?: string;
  readonly shortSha?: string;
  readonly before?: string;
  /** True when the push deleted the ref (`deleted: true`, after = 000…). */
  readonly deleted: boolean;
  readonly created: boolean;
  readonly actor?: string;
  readonly pullRequest?: {
    readonly number: number;
    readonly title: string;
    readonly headRef: string;
    readonly headSha: string;
    readonly baseRef: string;
    readonly merged: boolean;
  };
  readonly release?: { readonly tag: string; readonly name: string; readonly prerelease: boolean };
  /**
   * Paths changed by the event, when the payload says (push: commits[].added/modified/removed).
   * `undefined` when the payload does not carry them (pull_request payloads do not list files).
   */
  readonly changedPaths?: readonly string[];
  readonly headCommitMessage?: string;
}

export interface ScheduleFacts {
  readonly runConfiguration: string;
  /** The scheduled slot, ISO-8601 UTC. */
  readonly slot: string;
  readonly timezone: string;
  readonly cron: string;
}

export interface Artifact {
  readonly name: string;
  readonly location: string;
}

/** Metadata-bearing output of one pipeline component, for artifact paths `<COMPONENT>:<OUTPUT>:<INDEX>[<FILTER>]`. */
export interface ComponentArtifact {
  readonly name: string;
  readonly location: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface ComponentOutput {
  readonly componentName: string;
  readonly outputName: string;
  readonly artifacts: readonly ComponentArtifact[];
}

/** KFP-Operator run-completion data (seed 003), plus what runbridge knows of runs it created. */
export interface RunCompletion {
  readonly status: 'succeeded' | 'failed';
  readonly provider?: string;
  readonly pipelineName?: string;
  /** `namespace/name` or bare name of the run configuration the run belongs to. */
  readonly runConfigurationName?: string;
  readonly runName?: string;
  readonly runNamespace?: string;
  readonly runId?: string;
  readonly runStartTime?: string;
  readonly runEndTime?: string;
  readonly artifacts: readonly Artifact[];
  readonly componentOutputs?: readonly ComponentOutput[];
}

export interface ManualFacts {
  readonly params: Readonly<Record<string, string>>;
  readonly requestedBy?: string;
}
