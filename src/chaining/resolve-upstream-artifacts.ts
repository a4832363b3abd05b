/**
 * The dispatcher's resolve step for `valueFrom.runConfigurationRef`: each reference takes the
 * location of the named artifact of an upstream run, the one the dispatch plan fixes (the
 * completed run, the runs a join claimed: so the parameters match what was consumed), otherwise
 * the upstream's latest succeeded run in the state store. A reference that does not resolve is
 * logged with its reason and recorded for /status; the dispatcher then refuses the run ("Unable to
 * resolve parameters: …") and counts it.
 */
import type { Logger } from 'pino';
import type { ArtifactRef } from '../config/loaded-config.ts';
import type { RunConfiguration } from '../config/schema.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { ArtifactReference } from '../triggers/resolve-parameters.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { explainDependencies, isBlocking } from './explain-dependencies.ts';
import { lazyChildLogger } from './lazy-child-logger.ts';
import { readLatestRuns } from './latest-runs.ts';
import { recordResolution } from './resolution-record.ts';
import type { UpstreamRun } from './upstream-run.ts';

export type ResolveArtifact = (ref: ArtifactReference) => string | undefined;

export interface ArtifactResolution {
  readonly store: CoalescingStore;
  readonly logger: Logger;
  /** The time now, ISO-8601 UTC. */
  readonly now: () => string;
}

/** Undefined when the run configuration references no upstream artifact. */
export async function resolveUpstreamArtifacts(
  deps: ArtifactResolution,
  rc: { readonly key: string; readonly spec: RunConfiguration; readonly artifactRefs: readonly ArtifactRef[] },
  event: RunbridgeEvent,
  fixed: ReadonlyMap<string, UpstreamRun> | undefined,
): Promise<ResolveArtifact | undefined> {
  if (rc.artifactRefs.length === 0) return undefined;
  const runs = new Map<string, UpstreamRun | undefined>();
  for (const name of new Set(rc.artifactRefs.map((ref) => ref.name))) {
    runs.set(name, fixed?.get(name) ?? (await readLatestRuns(deps.store, name)).succeeded);
  }
  const overridden = event.manual?.params;
  const explained = explainDependencies(rc.spec, (name) => runs.get(name));
  const dependencies = overridden === undefined ? explained : explained.filter((d) => !Object.hasOwn(overridden, d.parameter));
  const blocking = dependencies.filter(isBlocking);
  const log = lazyChildLogger(deps.logger, () => ({ [LogKeys.eventId]: event.id, [LogKeys.runConfiguration]: rc.key }));
  for (const d of dependencies) {
    if (d.location !== undefined) continue;
    const line = { parameter: d.parameter, upstream: d.upstream, outputArtifact: d.outputArtifact, [LogKeys.reason]: d.reason };
    if (isBlocking(d)) log.warn(line, 'upstream artifact unresolved: no run');
    else log.info(line, d.optional ? 'optional upstream artifact unresolved: parameter omitted' : 'upstream artifact unresolved: parameter default used');
  }
  try {
    await recordResolution(deps.store, rc.key, { at: deps.now(), eventId: event.id, blocking });
  } catch (error) {
    log.error({ err: error }, 'could not record the resolution for /status');
  }
  // A run configuration has a few references: a search finds one without building a map per run.
  return (ref) => dependencies.find((d) => d.location !== undefined && d.upstream === ref.name && d.outputArtifact === ref.outputArtifact)?.location;
}
