/**
 * One completed run of an upstream run configuration, as chaining remembers it: who it was, how it
 * ended, when, and the artifacts it produced. `runKey` is its identity for dedupe: the provider's
 * run id, else the run's `namespace/name`, else the key of the event that reported it.
 */
import { eventKey } from '../events/event-key.ts';
import type { Artifact, RunbridgeEvent, RunCompletion } from '../events/event.ts';
import type { ArtifactMiss } from '../artifacts/resolve-artifact-path.ts';

export interface UpstreamRun {
  readonly runKey: string;
  readonly status: 'succeeded' | 'failed';
  /** `runEndTime` of the completion, else the event's time: what "newer" and "older" compare. */
  readonly endTime: string;
  /** The key (`<source>:<id>`, src/events/event-key.ts) of the completion event that first reported the run. */
  readonly eventId: string;
  readonly runId?: string;
  readonly runName?: string;
  readonly runNamespace?: string;
  readonly artifacts: readonly Artifact[];
  /** Declared artifacts the run did not produce, each with the reason. */
  readonly misses: readonly ArtifactMiss[];
}

/** The run's `namespace` and `name`; KFP-Operator may send `runName` as `namespace/name`. */
export function runIdentity(completion: RunCompletion): { name?: string; namespace?: string } {
  const { runName, runNamespace } = completion;
  if (runName === undefined || runName === '') return runNamespace ? { namespace: runNamespace } : {};
  const slash = runName.indexOf('/');
  if (slash > 0 && runNamespace === undefined) return { namespace: runName.slice(0, slash), name: runName.slice(slash + 1) };
  return runNamespace ? { name: runName, namespace: runNamespace } : { name: runName };
}

export function upstreamRunOf(
  event: RunbridgeEvent,
  completion: RunCompletion,
  found: { artifacts: readonly Artifact[]; misses: readonly ArtifactMiss[] },
): UpstreamRun {
  const { name, namespace } = runIdentity(completion);
  const key = eventKey(event);
  const runKey = completion.runId || (name ? (namespace ? `${namespace}/${name}` : name) : key);
  const end = completion.runEndTime && !Number.isNaN(Date.parse(completion.runEndTime)) ? completion.runEndTime : event.time;
  // Built field by field, in this order (no spread of a temporary object per optional field).
  const run: { -readonly [K in keyof UpstreamRun]?: UpstreamRun[K] } = { runKey, status: completion.status, endTime: end, eventId: key };
  if (completion.runId) run.runId = completion.runId;
  if (name) run.runName = name;
  if (namespace) run.runNamespace = namespace;
  run.artifacts = found.artifacts;
  run.misses = found.misses;
  return run as UpstreamRun;
}

/** True when `a` ended strictly before `b`. */
export function endedBefore(a: Pick<UpstreamRun, 'endTime'>, b: Pick<UpstreamRun, 'endTime'>): boolean {
  return Date.parse(a.endTime) < Date.parse(b.endTime);
}

/** How a run is named in reasons and logs: its name, else its id. */
export function describeRun(run: Pick<UpstreamRun, 'runKey' | 'runName' | 'runNamespace'>): string {
  if (run.runName) return run.runNamespace ? `${run.runNamespace}/${run.runName}` : run.runName;
  return run.runKey;
}
