/**
 * Builds the status report from the loaded configuration and the state store: what each run
 * configuration is triggered by, what it last started, its latest artifacts, what it consumed, and
 * which upstream dependencies are unresolved and why.
 */
import type { CompiledRunConfiguration } from '../../config/loaded-config.ts';
import type { StateStore } from '../../state/store.ts';
import { evaluateJoin } from '../claim-join.ts';
import { readConsumed } from '../consumed-record.ts';
import { explainDependencies, isBlocking } from '../explain-dependencies.ts';
import { readFired } from '../fired-record.ts';
import { readLatestRuns, type LatestRuns } from '../latest-runs.ts';
import { readResolution } from '../resolution-record.ts';
import { describeRun, type UpstreamRun } from '../upstream-run.ts';
import { describeGitTrigger, describeSchedule } from './describe-triggers.ts';
import type { RunConfigurationStatus, RunSummary, StatusReport } from './status-report.ts';

export async function buildStatusReport(options: {
  runConfigurations: readonly CompiledRunConfiguration[];
  store: StateStore;
  clock?: () => Date;
}): Promise<StatusReport> {
  const { store } = options;
  const latestCache = new Map<string, Promise<LatestRuns>>();
  const latest = (key: string): Promise<LatestRuns> => {
    let found = latestCache.get(key);
    if (found === undefined) latestCache.set(key, (found = readLatestRuns(store, key)));
    return found;
  };
  const runConfigurations = await Promise.all(options.runConfigurations.map((rc) => statusOf(rc, store, latest)));
  return { generatedAt: (options.clock ?? (() => new Date()))().toISOString(), runConfigurations };
}

async function statusOf(rc: CompiledRunConfiguration, store: StateStore, latest: (key: string) => Promise<LatestRuns>): Promise<RunConfigurationStatus> {
  const { triggers } = rc.spec;
  const needed = [...new Set([...rc.upstreams, ...rc.artifactRefs.map((r) => r.name)])];
  const upstreamRuns = new Map(await Promise.all(needed.map(async (key) => [key, await latest(key)] as const)));
  const [own, fired, consumed, resolution] = await Promise.all([latest(rc.key), readFired(store, rc.key), readConsumed(store, rc.key), readResolution(store, rc.key)]);
  const dependencies = explainDependencies(rc.spec, (key) => upstreamRuns.get(key)?.succeeded);
  const join = triggers.upstream.mode === 'all' && rc.upstreams.length > 1 ? evaluateJoin(rc.upstreams, triggers.upstream.on, upstreamRuns, consumed?.value) : undefined;
  return {
    runConfiguration: rc.key,
    template: rc.spec.template,
    triggers: {
      git: triggers.git.map(describeGitTrigger),
      schedules: triggers.schedules.map(describeSchedule),
      upstreams: rc.upstreams,
      ...(rc.upstreams.length ? { upstream: triggers.upstream } : {}),
    },
    ...(fired ? { lastFired: fired } : {}),
    latest: {
      ...(own.succeeded ? { succeeded: summary(own.succeeded) } : {}),
      ...(own.failed ? { failed: summary(own.failed) } : {}),
    },
    ...(consumed?.value.runs.length ? { consumed: consumed.value.runs.map((c) => ({ upstream: c.upstream, run: describeRun(c.run) })) } : {}),
    ...(join ? { join: join.ready ? { ready: true as const } : { ready: false as const, reason: join.reason } } : {}),
    dependencies,
    unresolved: dependencies.filter(isBlocking),
    resolution,
  };
}

function summary(run: UpstreamRun): RunSummary {
  return {
    run: describeRun(run),
    ...(run.runId ? { runId: run.runId } : {}),
    endTime: run.endTime,
    eventId: run.eventId,
    artifacts: run.artifacts,
    misses: run.misses,
  };
}
