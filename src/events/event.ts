/**
 * The one normalized shape every source produces. CloudEvents-shaped: `id`, `source`, `type`,
 * `time`, `data`; plus the facts runbridge extracted from it so that matching and rendering never
 * dig through raw payloads.
 */
export type TriggerType = 'git' | 'schedule' | 'runConfiguration' | 'manual';

export interface RunbridgeEvent {
  /** Stable id: the forge's delivery key, `<run configuration>@<slot>` for ticks, the CloudEvent id. */
  readonly id: string;
  /** Where it came from: a forge (its webhook source's name), `cron`, `nats`, `http`, `kubernetes`, `manual`. */
  readonly source: string;
  /** What it is: `<forge>.<forge's event name>`, `runbridge.schedule.tick`, `org.kubeflow.pipelines.run-completion`, … */
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

/** The forges a git event can come from; each one's webhook source lives in its own folder under src/sources/. */
export type GitProvider = 'github' | 'gitlab' | 'gitea' | 'forgejo' | 'bitbucket-cloud' | 'bitbucket-data-center';

export interface GitFacts {
  readonly provider: GitProvider;
  /** The forge's own name for the event, as its webhook sends it (`push`, `pull_request`, `create`, …). */
  readonly event: string;
  /** runbridge's own classification used by triggers. */
  readonly kind: GitEventKind;
  /**
   * Whether the facts come from the forge's push notification (commits or a tag pushed, a ref
   * deleted by a push). False for events that only announce a ref change the forge also sends as a
   * push: a `tag` trigger fires on the push, so one tag starts one run.
   */
  readonly viaPush: boolean;
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
   * Paths changed by the event, when the payload says (a push's commits).
   * `undefined` when the payload does not carry them (pull request payloads do not list files).
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
