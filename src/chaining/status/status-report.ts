/** What `GET /status` answers and `runbridge status` prints: per run configuration, its chaining state; the intake's backlog. */
import type { IntakeBacklogReport } from '../../intake/intake-backlog.ts';
import type { ArtifactMiss } from '../../artifacts/resolve-artifact-path.ts';
import type { Artifact } from '../../events/event.ts';
import type { Dependency } from '../explain-dependencies.ts';
import type { FiredRecord } from '../fired-record.ts';
import type { ResolutionRecord } from '../resolution-record.ts';

export interface RunSummary {
  /** The run's name (`namespace/name` when known), else its id. */
  readonly run: string;
  readonly runId?: string;
  readonly endTime: string;
  readonly eventId: string;
  readonly artifacts: readonly Artifact[];
  readonly misses: readonly ArtifactMiss[];
}

export interface RunConfigurationStatus {
  readonly runConfiguration: string;
  readonly template: string;
  readonly triggers: {
    /** One line per git trigger: `push acme/ml branches=main paths=pipelines/**`. */
    readonly git: readonly string[];
    /** One line per schedule: `0 3 * * * Europe/London`. */
    readonly schedules: readonly string[];
    /** Upstream run configurations (`namespace/name`). */
    readonly upstreams: readonly string[];
    readonly upstream?: { readonly mode: 'any' | 'all'; readonly on: 'succeeded' | 'failed' | 'completed' };
  };
  /** The last run it started, whatever the trigger. */
  readonly lastFired?: FiredRecord;
  /** Its own latest runs, as an upstream; `succeeded` holds the artifacts downstreams take. */
  readonly latest: { readonly succeeded?: RunSummary; readonly failed?: RunSummary };
  /** `mode: all` only: for each upstream, the run its latest run consumed (`lastFired.upstream` tells it for `mode: any`). */
  readonly consumed?: readonly { readonly upstream: string; readonly run: string }[];
  /** `mode: all` only: whether every upstream has a newer run than consumed, else what it waits for. */
  readonly join?: { readonly ready: true } | { readonly ready: false; readonly reason: string };
  /** Every `valueFrom.runConfigurationRef` parameter, resolved against the upstreams' latest succeeded runs. */
  readonly dependencies: readonly Dependency[];
  /** Those that would stop a run now (unresolved, not optional, no default), each with its reason. */
  readonly unresolved: readonly Dependency[];
  /** The last time a run was refused for unresolved dependencies, and whether one resolved since. */
  readonly resolution: ResolutionRecord;
}

export interface StatusReport {
  readonly generatedAt: string;
  readonly runConfigurations: readonly RunConfigurationStatus[];
  /** The daemon's intake: events stored and not done yet, and dead letters, with their reasons. */
  readonly intake?: IntakeBacklogReport;
  /** `GET /status`: how many run configurations there are in all (a page holds some of them). */
  readonly total?: number;
  /** `GET /status`: ask again with `?cursor=` this for the next page; absent on the last page. */
  readonly nextCursor?: string;
}
