/**
 * The dispatcher's artifact resolver: `valueFrom.runConfigurationRef` takes the location of the
 * named artifact of the upstream's latest succeeded run. For a run a completion starts, the
 * upstream runs are those the completion handler prepared (the completed run itself, or the runs a
 * join claimed), so the parameters match what was consumed; otherwise the state store's latest.
 * A reference that does not resolve is logged with its reason and recorded for /status; the
 * dispatcher then refuses the run ("Unable to resolve parameters: …") and counts it.
 */
import type { Logger } from 'pino';
import type { ArtifactResolver, DispatchTarget } from '../dispatch/create-dispatcher.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LOG_KEYS } from '../observability/log-keys.ts';
import type { ChainingSnapshot, ChainingSnapshots } from './chaining-snapshot.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { explainDependencies, isBlocking } from './explain-dependencies.ts';
import { lazyChildLogger } from './lazy-child-logger.ts';
import { readLatestRuns } from './latest-runs.ts';
import { recordResolution } from './resolution-record.ts';
import type { RunConfigurationIndex } from './run-configuration-index.ts';
import type { UpstreamRun } from './upstream-run.ts';

export interface ArtifactResolverOptions {
  readonly index: RunConfigurationIndex;
  readonly snapshots: ChainingSnapshots;
  readonly store: CoalescingStore;
  readonly logger: Logger;
  readonly clock: () => Date;
}

export function createArtifactResolver(options: ArtifactResolverOptions): (rc: DispatchTarget, event: RunbridgeEvent) => Promise<ArtifactResolver> {
  const none: ArtifactResolver = () => undefined;
  const now = isoClock(options.clock);
  return async (target, event) => {
    const rc = options.index.byKey.get(target.key);
    if (rc === undefined || rc.artifactRefs.length === 0) return none;
    const runs = new Map<string, UpstreamRun | undefined>();
    for (const name of new Set(rc.artifactRefs.map((ref) => ref.name))) {
      const prepared = preparedRun(options.snapshots.get(event), rc.key, name);
      runs.set(name, prepared !== undefined ? prepared : (await readLatestRuns(options.store, name)).succeeded);
    }
    const overridden = event.manual?.params;
    const explained = explainDependencies(rc.spec, (name) => runs.get(name));
    const dependencies = overridden === undefined ? explained : explained.filter((d) => !Object.hasOwn(overridden, d.parameter));
    const blocking = dependencies.filter(isBlocking);
    const log = lazyChildLogger(options.logger, () => ({ [LOG_KEYS.eventId]: event.id, [LOG_KEYS.runConfiguration]: rc.key }));
    for (const d of dependencies) {
      if (d.location !== undefined) continue;
      const line = { parameter: d.parameter, upstream: d.upstream, outputArtifact: d.outputArtifact, [LOG_KEYS.reason]: d.reason };
      if (isBlocking(d)) log.warn(line, 'upstream artifact unresolved: no run');
      else log.info(line, d.optional ? 'optional upstream artifact unresolved: parameter omitted' : 'upstream artifact unresolved: parameter default used');
    }
    try {
      await recordResolution(options.store, rc.key, { at: now(), eventId: event.id, blocking });
    } catch (error) {
      log.error({ err: error }, 'could not record the resolution for /status');
    }
    // A run configuration has a few references: a search finds one without building a map per run.
    return (ref) => dependencies.find((d) => d.location !== undefined && d.upstream === ref.name && d.outputArtifact === ref.outputArtifact)?.location;
  };
}

/**
 * The upstream run the completion handler prepared for this dispatch (a join's claimed run, or
 * the completed run itself when it succeeded); undefined when the state store's latest counts.
 */
function preparedRun(snapshot: ChainingSnapshot | undefined, downstream: string, upstream: string): UpstreamRun | undefined {
  const join = snapshot?.joins.get(downstream);
  const claimed = join?.ready ? join.runs.find((r) => r.upstream === upstream && r.run.status === 'succeeded')?.run : undefined;
  if (claimed) return claimed;
  if (snapshot?.upstream === upstream && snapshot.run.status === 'succeeded') return snapshot.run;
  return undefined;
}
