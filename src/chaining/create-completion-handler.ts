/**
 * The one entry point for every completion source (NATS, HTTP CloudEvents, the Kubernetes status
 * watch): correlate the completion with a run configuration, believe it only as far as its source
 * (trust-completion.ts), enter the upstream run in the ledger
 * once, resolve its artifacts, keep the latest runs (a late older run never replaces a newer one),
 * claim joins, then dispatch with the plan of which downstreams start and which upstream runs
 * their artifacts come from (plan-downstreams.ts).
 */
import type { Logger } from 'pino';
import type { Dispatcher, DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import type { Metrics } from '../observability/metrics.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { claimJoin, releaseJoin, type JoinDecision } from './claim-join.ts';
import { completionArtifacts } from './completion-artifacts.ts';
import { lazyChildLogger, type LineLogger } from './lazy-child-logger.ts';
import { enterCompletion, markHandled } from './completion-ledger.ts';
import type { CompletionOutcome, HandledCompletion } from './completion-outcome.ts';
import { correlateCompletion } from './correlate-completion.ts';
import { recordLatestRun } from './latest-runs.ts';
import { noteRunFinished } from './note-run-finished.ts';
import { planDownstreams } from './plan-downstreams.ts';
import { downstreamsOf, type RunConfigurationIndex } from './run-configuration-index.ts';
import { trustCompletion } from './trust-completion.ts';
import { readUpstreamPolicy } from './upstream-policy.ts';
import { describeRun, upstreamRunOf, type UpstreamRun } from './upstream-run.ts';

export interface CompletionHandlerOptions {
  /** The run configurations, indexed by key and by upstream (indexRunConfigurations). */
  readonly index: RunConfigurationIndex;
  readonly store: CoalescingStore;
  /** The dispatcher, on the same store, with chaining's onSubmitted (createChaining). */
  readonly dispatch: Dispatcher;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clock?: (() => Date) | undefined;
  /** `completions.maxClockSkewSeconds`: how far past its arrival a completion's end time is believed (300 s by default). */
  readonly maxClockSkewSeconds?: number | undefined;
}

export type HandleCompletion = (event: RunbridgeEvent) => Promise<CompletionOutcome>;

export function createCompletionHandler(options: CompletionHandlerOptions): HandleCompletion {
  const { store, metrics } = options;
  const clock = options.clock ?? (() => new Date());
  const now = isoClock(clock);
  const maxClockSkewSeconds = options.maxClockSkewSeconds ?? 300;
  const { index } = options;
  const count = (source: string, outcome: string): void => metrics?.eventsReceived.inc({ source, outcome });
  const uncorrelated = (event: RunbridgeEvent, reason: string): CompletionOutcome => {
    options.logger.child(eventBindings(event)).warn({ [LogKeys.reason]: reason }, 'completion uncorrelated: it belongs to no configured run configuration');
    count(event.source, 'uncorrelated');
    return { outcome: 'uncorrelated', eventId: event.id, reason };
  };
  const untrusted = (event: RunbridgeEvent, runConfiguration: string, reason: string): CompletionOutcome => {
    options.logger.child(eventBindings(event)).warn({ [LogKeys.runConfiguration]: runConfiguration, [LogKeys.reason]: reason }, 'completion not believed: nothing recorded, nothing starts');
    count(event.source, 'untrusted');
    return { outcome: 'untrusted', eventId: event.id, runConfiguration, reason };
  };
  return async (event) => {
    const completion = event.completion;
    if (completion === undefined) return uncorrelated(event, `not a run completion (trigger ${event.trigger})`);
    const correlation = await correlateCompletion(completion, index, store);
    if (!correlation.found) return uncorrelated(event, correlation.reason);
    const upstream = correlation.runConfiguration;
    const reported = upstreamRunOf(event, completion, completionArtifacts(completion, upstream.spec.artifacts));
    // The child logger (and its bindings) is made only if a line is written: most events write none here.
    const rlog = lazyChildLogger(options.logger, () => ({ ...eventBindings(event), [LogKeys.runConfiguration]: upstream.key, upstreamRun: describeRun(reported) }));
    const arrived = clock();
    const trust = trustCompletion({
      event,
      runConfiguration: upstream,
      submission: correlation.submission,
      named: completion.runConfigurationName,
      run: reported,
      receivedAt: arrived,
      maxClockSkewSeconds,
    });
    if (!trust.trusted) return untrusted(event, upstream.key, trust.reason);
    const receivedAt = now();
    // Independent and idempotent for the same upstream run, so written together.
    const [entered, { newer }] = await Promise.all([
      enterCompletion(store, { runConfiguration: upstream.key, run: reported, receivedAt }),
      recordLatestRun(store, upstream.key, reported),
      noteRunFinished(store, reported, correlation.submission, receivedAt),
    ]);
    const { first, entry } = entered;
    const run = entry.run;
    const base = { eventId: event.id, runConfiguration: upstream.key, run: describeRun(run) };
    if (entry.handled) {
      rlog.info({ firstEventId: run.eventId }, 'duplicate completion: this upstream run was handled already, nothing new starts');
      count(event.source, 'duplicate');
      return { ...base, outcome: 'duplicate', first: entry.handled };
    }
    if (first) {
      for (const miss of run.misses) rlog.warn({ artifact: miss.name, path: miss.path, [LogKeys.reason]: miss.reason }, 'artifact path matched nothing');
      if (run.misses.length) metrics?.artifactMisses.inc({ run_configuration: upstream.key }, run.misses.length);
    } else {
      rlog.info({ firstEventId: run.eventId }, 'completion seen before but not handled to the end: handling it again under the first event id');
    }
    if (newer) {
      const reason = `run ${describeRun(run)} ended ${run.endTime}, before the latest ${run.status} run ${describeRun(newer)} (${newer.endTime}): its artifacts stay the latest and nothing starts`;
      rlog.warn({ [LogKeys.reason]: reason }, 'stale completion');
      count(event.source, 'stale');
      const handled: HandledCompletion = { ...base, outcome: 'stale', reason };
      await markHandled(store, entered, handled);
      return handled;
    }
    const dispatched: RunbridgeEvent = { ...event, id: run.eventId, completion: { ...completion, runConfigurationName: upstream.key, artifacts: run.artifacts } };
    const joins = await claimJoins(index, store, upstream.key, run, dispatched.id, receivedAt);
    const outcome = await options.dispatch(dispatched, planDownstreams(index, { upstream: upstream.key, run, joins, first }));
    await releaseUnusedClaims(store, joins, outcome, dispatched.id, rlog);
    const handled: HandledCompletion = { ...base, outcome: 'dispatched', artifacts: run.artifacts, misses: run.misses, dispatch: outcome };
    if (!outcome.matched.some((m) => m.error?.retryable)) await markHandled(store, entered, handled);
    return handled;
  };
}

function eventBindings(event: RunbridgeEvent): Record<string, unknown> {
  return { [LogKeys.eventId]: event.id, [LogKeys.source]: event.source, [LogKeys.eventType]: event.type };
}

async function claimJoins(index: RunConfigurationIndex, store: CoalescingStore, upstream: string, run: UpstreamRun, eventId: string, at: string): Promise<Map<string, JoinDecision>> {
  const claims = downstreamsOf(index, upstream).flatMap((rc) => {
    const verdict = readUpstreamPolicy(rc, upstream, run.status);
    return verdict.fires === 'join' ? [claimJoin(store, rc.key, verdict, { eventId, at }).then((d) => [rc.key, d] as const)] : [];
  });
  return new Map(await Promise.all(claims));
}

/** A join claimed for a run that was not created gives its upstream runs back for the next try. */
async function releaseUnusedClaims(store: CoalescingStore, joins: ReadonlyMap<string, JoinDecision>, outcome: DispatchOutcome, eventId: string, log: LineLogger): Promise<void> {
  for (const [downstream, decision] of joins) {
    if (!decision.ready || outcome.matched.some((m) => m.runConfiguration === downstream && m.run)) continue;
    if (await releaseJoin(store, downstream, eventId)) log.info({ downstream }, 'join claim released: its run was not created');
  }
}
