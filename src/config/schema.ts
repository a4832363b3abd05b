/**
 * The configuration file's shape (YAML, `apiVersion: runbridge.dev/v1alpha1`, `kind: Config`).
 * Structure only: semantic checks that need more than one field (templates compile, globs parse,
 * cycles, label syntax, cron that never fires) live in validate.ts. Every object is strict, so an
 * unknown key is reported with its path.
 */
import { z } from 'zod';
import { intakeSchema } from './intake-schema.ts';
import { serverSchema } from './server-schema.ts';
import { GIT_PROVIDERS } from '../events/event.ts';

export const API_VERSION = 'runbridge.dev/v1alpha1';
export const CONFIG_KIND = 'Config';

const name = z.string().min(1);

/** A secret is never written in the config in clear: it comes from an env var or a file. */
export const secretSourceSchema = z.union([
  z.strictObject({ fromEnv: name }),
  z.strictObject({ fromFile: name }),
]);

/** Fields of the triggering event that a parameter can take by name. */
export const EVENT_FIELDS = [
  'id',
  'source',
  'type',
  'time',
  'trigger',
  'repository',
  'repositoryUrl',
  'ref',
  'branch',
  'tag',
  'sha',
  'shortSha',
  'before',
  'actor',
  'action',
  'pullRequestNumber',
  'pullRequestTitle',
  'pullRequestHeadRef',
  'pullRequestBaseRef',
  'pullRequestHeadSha',
  'pullRequestMerged',
  'pullRequestFromFork',
  'forge',
  'releaseTag',
  'scheduledTime',
  'upstreamRunName',
  'upstreamRunId',
  'upstreamStatus',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

export const runConfigurationRefSchema = z.strictObject({
  /** `namespace/name` or bare `name` (same namespace as the downstream). */
  name,
  outputArtifact: name,
  optional: z.boolean().default(false),
});

export const valueFromSchema = z.union([
  /** A named field of the event: `sha`, `branch`, `pullRequestNumber`, … */
  z.strictObject({ event: z.enum(EVENT_FIELDS) }),
  /** Any path into the raw payload: `pull_request.head.repo.full_name`, `commits[0].id`. */
  z.strictObject({ payload: name }),
  z.strictObject({ runConfigurationRef: runConfigurationRefSchema }),
]);

export const parameterSchema = z.union([
  z.strictObject({ name, value: z.string() }),
  z.strictObject({
    name,
    valueFrom: valueFromSchema,
    /** Used when the event does not carry the field; without it a missing field is an error (no run). */
    default: z.string().optional(),
  }),
]);

export const artifactSchema = z.strictObject({
  name,
  /** KFP-Operator artifact path `<COMPONENT>:<OUTPUT>:<INDEX>[<FILTER>]`. */
  path: name,
});

export const GIT_EVENTS = ['push', 'pull_request', 'tag', 'release'] as const;
export const PULL_REQUEST_ACTIONS = ['opened', 'synchronize', 'reopened', 'closed', 'merged', 'edited', 'labeled', 'ready_for_review'] as const;
export const RELEASE_ACTIONS = ['published', 'created', 'released', 'prereleased'] as const;

export const gitTriggerSchema = z.strictObject({
  /** `owner/name`; globs allowed (`acme/*`). Omitted: any repository. */
  repository: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  events: z.array(z.enum(GIT_EVENTS)).min(1).default(['push']),
  /** pull_request and release actions; `merged` means closed with merged=true. */
  actions: z.array(z.string().min(1)).optional(),
  /** Branch globs; `!` negates. push: the pushed branch; pull_request: the base branch. */
  branches: z.array(z.string().min(1)).optional(),
  /** Tag globs; `!` negates. */
  tags: z.array(z.string().min(1)).optional(),
  /** Changed-path globs; `!` negates. push: commits[].added/modified/removed. */
  paths: z.array(z.string().min(1)).optional(),
  /** A CEL expression over `event`, `git` and `payload`; the trigger matches when it is true. */
  when: z.string().min(1).optional(),
  /** Branch and tag deletions never trigger unless this is true. */
  includeDeletions: z.boolean().default(false),
  /** The forges whose events this trigger accepts (`github`, `gitlab`, `gitea`, …). Omitted: every forge. */
  forges: z.array(z.enum(GIT_PROVIDERS)).min(1).optional(),
  /** Pull requests from forks run code the repository's owners did not write: they trigger only when this is true. */
  forks: z.boolean().default(false),
});

export const scheduleSchema = z.strictObject({
  /** 5 fields, 6 with seconds, or `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly`. */
  cron: z.string().min(1),
  timezone: z.string().min(1).default('UTC'),
  startTime: z.iso.datetime({ offset: true }).optional(),
  endTime: z.iso.datetime({ offset: true }).optional(),
  suspend: z.boolean().default(false),
  concurrencyPolicy: z.enum(['Allow', 'Forbid', 'Replace']).default('Allow'),
  startingDeadlineSeconds: z.number().int().positive().optional(),
  catchUp: z.enum(['none', 'latest']).default('none'),
});

export const upstreamPolicySchema = z.strictObject({
  /** `any`: each upstream completion fires (KFP-Operator's OR). `all`: fire when every upstream has a newer run than last used. */
  mode: z.enum(['any', 'all']).default('any'),
  /** Which upstream outcome fires the downstream. */
  on: z.enum(['succeeded', 'failed', 'completed']).default('succeeded'),
});

export const triggersSchema = z.strictObject({
  git: z.array(gitTriggerSchema).default([]),
  schedules: z.array(scheduleSchema).default([]),
  /** Upstream run configurations: `namespace/name` or bare `name` (same namespace). */
  runConfigurations: z.array(name).default([]),
  upstream: upstreamPolicySchema.default({ mode: 'any', on: 'succeeded' }),
});

/** Whether the run-now API may start this run configuration, and which parameters a caller may set. */
export const manualSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Declared parameters a caller may override; any other is refused (403). */
  parameters: z.array(name).default([]),
});

/** Completion sources that may report runs runbridge did not create (the status watch sees only its own). */
export const COMPLETION_SOURCES = ['nats', 'http'] as const;

export const runConfigurationSchema = z.strictObject({
  name,
  namespace: name.default('default'),
  /** A template name: a file `<name>.yaml.hbs` in one of the template directories. */
  template: name,
  parameters: z.array(parameterSchema).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  annotations: z.record(z.string(), z.string()).default({}),
  artifacts: z.array(artifactSchema).default([]),
  triggers: triggersSchema.default({
    git: [],
    schedules: [],
    runConfigurations: [],
    upstream: { mode: 'any', on: 'succeeded' },
  }),
  /** Run-now API access: off unless enabled here (and `api.token` is set). */
  manual: manualSchema.default({ enabled: false, parameters: [] }),
  /**
   * The completion sources believed about runs of this run configuration that runbridge did not
   * create (KFP-Operator's own runs, known by `runConfigurationName` only). Empty: none is (fail
   * closed). Runs runbridge created are believed from any source that matches its record.
   */
  completionSources: z.array(z.enum(COMPLETION_SOURCES)).default([]),
});

/**
 * Secrets that authenticate only the deliveries of some repositories (`owner/name` globs, `!`
 * negates). Where several entries name a repository, the most specific one counts (see
 * src/sources/webhook/secret-scopes.ts).
 */
export const scopedSecretsSchema = z.strictObject({
  repositories: z.array(z.string().min(1)).min(1),
  /** Several secrets at once, for rotation. */
  secrets: z.array(secretSourceSchema).min(1),
});

/** An entry of a forge's `secrets`: a secret for every repository no scoped entry names (the fallback), or scoped secrets. */
export const webhookSecretSchema = z.union([secretSourceSchema, scopedSecretsSchema]);

/** A forge's webhook source: the path it posts to and the secrets its deliveries are authenticated with. */
export function webhookSourceSchema(defaultPath: string) {
  return z.strictObject({
    path: z.string().startsWith('/').default(defaultPath),
    /** Several secrets are accepted at once, for rotation; scoped entries limit a secret to repositories. */
    secrets: z.array(webhookSecretSchema).default([]),
    /** Local experiments only: accept unsigned deliveries. Logged loudly at start and on every delivery. */
    insecureSkipSignatureVerification: z.boolean().default(false),
  });
}

/**
 * The forges runbridge receives webhooks from: one top-level section each (`github:`), all of the
 * same shape; a forge's source is registered under the same name in src/sources/webhook/webhook-sources.ts.
 */
export const forgeSections = {
  github: webhookSourceSchema('/webhooks/github').optional(),
  gitlab: webhookSourceSchema('/webhooks/gitlab').optional(),
  gitea: webhookSourceSchema('/webhooks/gitea').optional(),
  forgejo: webhookSourceSchema('/webhooks/forgejo').optional(),
  'bitbucket-cloud': webhookSourceSchema('/webhooks/bitbucket-cloud').optional(),
  'bitbucket-data-center': webhookSourceSchema('/webhooks/bitbucket-data-center').optional(),
};

export type ForgeName = keyof typeof forgeSections;
export type WebhookSourceConfig = z.infer<ReturnType<typeof webhookSourceSchema>>;

export const fileSinkSchema = z.strictObject({
  type: z.literal('file'),
  directory: z.string().min(1).default('runs'),
});

export const kubernetesSinkSchema = z.strictObject({
  type: z.literal('kubernetes'),
  /** Path to a kubeconfig; default: in-cluster service account, else $KUBECONFIG, else ~/.kube/config. */
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  /** Submit with dryRun=All: the API server validates and admits, nothing is stored. */
  dryRun: z.boolean().default(false),
  qps: z.number().positive().default(20),
  burst: z.number().int().positive().default(40),
  /** Attempts for retryable failures (429, 5xx, connection errors). */
  maxAttempts: z.number().int().min(1).max(20).default(6),
});

export const sinkSchema = z.discriminatedUnion('type', [fileSinkSchema, kubernetesSinkSchema]);

export const natsConnectionSchema = z.strictObject({
  servers: z.array(z.string().min(1)).min(1).default(['nats://127.0.0.1:4222']),
  name: z.string().default('runbridge'),
  token: secretSourceSchema.optional(),
  user: z.string().optional(),
  password: secretSourceSchema.optional(),
  credentialsFile: z.string().optional(),
  nkeySeed: secretSourceSchema.optional(),
  tls: z
    .strictObject({
      caFile: z.string().optional(),
      certFile: z.string().optional(),
      keyFile: z.string().optional(),
    })
    .optional(),
});

/**
 * How long the records made per event or per run live (submission and dedupe records, the
 * completion ledger, completion notes, the intake's done records): 7 days, longer than any forge's
 * redelivery window.
 */
const dedupeRetentionHours = z.number().positive().default(168);

export const fileStateSchema = z.strictObject({
  type: z.literal('file'),
  directory: z.string().min(1).default('.runbridge/state'),
  dedupeRetentionHours,
});

export const natsStateSchema = z.strictObject({
  type: z.literal('nats'),
  bucket: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('runbridge'),
  replicas: z.number().int().min(1).max(5).default(1),
  /** As for the file store; with JetStream's per-message TTL (nats-server 2.11+). */
  dedupeRetentionHours,
});

export const stateSchema = z.discriminatedUnion('type', [fileStateSchema, natsStateSchema]);

export const completionsSchema = z.strictObject({
  nats: z
    .strictObject({
      subject: z.string().min(1).default('events'),
      /** With a stream name: a durable JetStream consumer (nothing lost while runbridge is down). Without: core NATS. */
      jetstream: z
        .strictObject({
          stream: z.string().min(1),
          durable: z.string().min(1).default('runbridge'),
          /** Create the stream when it does not exist. */
          create: z.boolean().default(true),
          maxDeliver: z.number().int().min(1).default(10),
        })
        .optional(),
    })
    .optional(),
  http: z
    .strictObject({
      path: z.string().startsWith('/').default('/events'),
      /** Who may post completions: required (checked at load) unless insecureNoAuthentication. */
      auth: z
        .strictObject({
          /** `Authorization: Bearer <token>`; several at once for rotation, each ≥ 32 characters. */
          tokens: z.array(secretSourceSchema).default([]),
          /** `X-Runbridge-Signature: sha256=<hex HMAC-SHA256 of the raw body>`; several at once for rotation. */
          hmacSecrets: z.array(secretSourceSchema).default([]),
          /** Local experiments only: anyone who reaches the endpoint chooses what downstream runs consume. */
          insecureNoAuthentication: z.boolean().default(false),
        })
        .default({ tokens: [], hmacSecrets: [], insecureNoAuthentication: false }),
    })
    .optional(),
  /** Watch the runs runbridge created and turn terminal status into completion events. */
  kubernetesWatch: z.boolean().default(false),
  /**
   * A completion's end time later than its arrival plus this many seconds is not believed: it is
   * refused (a far-future end time would make every later genuine completion look stale).
   */
  maxClockSkewSeconds: z.number().int().min(0).default(300),
  /** Publish runbridge's own CloudEvents (run submitted, run completed) to NATS. */
  publish: z.strictObject({ subject: z.string().min(1).default('runbridge.events') }).optional(),
});

export const apiSchema = z.strictObject({
  /** Bearer token for `POST /api/v1/run-configurations/{ns}/{name}/runs` (≥ 32 characters). Without it the API is off. */
  token: secretSourceSchema.optional(),
  /** Failed authentications a client address may make within `failureWindowSeconds`; then 429. */
  maxFailedAttempts: z.number().int().min(1).default(10),
  failureWindowSeconds: z.number().int().min(1).default(60),
});

/** `GET /status` on the internal listener: paged, cached for a moment, optionally behind a token. */
export const statusSchema = z.strictObject({
  /** `Authorization: Bearer <token>` required when set (≥ 32 characters). */
  token: secretSourceSchema.optional(),
  /** A report is reused for this long: a burst of requests costs one read of the state. */
  cacheSeconds: z.number().min(0).max(60).default(2),
  /** Run configurations per page when `?limit` is not given, and the most a page may hold. */
  defaultPageSize: z.number().int().positive().default(100),
  maxPageSize: z.number().int().positive().default(500),
});

export const leaderElectionSchema = z.strictObject({
  enabled: z.boolean().default(false),
  leaseName: z.string().default('runbridge-scheduler'),
  leaseNamespace: z.string().default('default'),
  leaseDurationSeconds: z.number().int().positive().default(15),
  renewDeadlineSeconds: z.number().int().positive().default(10),
  retryPeriodSeconds: z.number().int().positive().default(2),
});

export const configSchema = z.strictObject({
  apiVersion: z.literal(API_VERSION),
  kind: z.literal(CONFIG_KIND),
  server: serverSchema.default(serverSchema.parse({})),
  log: z
    .strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') })
    .default({ level: 'info' }),
  ...forgeSections,
  /** Extra template directories (relative to the config file). The shipped templates are always available. */
  templates: z.strictObject({ directories: z.array(z.string().min(1)).default([]) }).default({ directories: [] }),
  sink: sinkSchema.default({ type: 'file', directory: 'runs' }),
  state: stateSchema.default({ type: 'file', directory: '.runbridge/state', dedupeRetentionHours: 168 }),
  intake: intakeSchema.default(intakeSchema.parse({})),
  nats: natsConnectionSchema.optional(),
  completions: completionsSchema.optional(),
  api: apiSchema.optional(),
  status: statusSchema.default(statusSchema.parse({})),
  leaderElection: leaderElectionSchema.optional(),
  runConfigurations: z.array(runConfigurationSchema).default([]),
});

export type Config = z.infer<typeof configSchema>;
export type RunConfiguration = z.infer<typeof runConfigurationSchema>;
export type Parameter = z.infer<typeof parameterSchema>;
export type GitTrigger = z.infer<typeof gitTriggerSchema>;
export type Schedule = z.infer<typeof scheduleSchema>;
export type SecretSource = z.infer<typeof secretSourceSchema>;
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;
export type SinkConfig = z.infer<typeof sinkSchema>;
export type StateConfig = z.infer<typeof stateSchema>;
export type NatsConnectionConfig = z.infer<typeof natsConnectionSchema>;
export type CompletionsConfig = z.infer<typeof completionsSchema>;

/** `namespace/name`: how run configurations are keyed everywhere. */
export function runConfigurationKey(rc: { namespace: string; name: string }): string {
  return `${rc.namespace}/${rc.name}`;
}

/** Resolves `ns/name` or bare `name` (relative to `namespace`) to a key. */
export function qualifyRunConfigurationName(ref: string, namespace: string): string {
  return ref.includes('/') ? ref : `${namespace}/${ref}`;
}
export type StatusConfig = z.infer<typeof statusSchema>;
