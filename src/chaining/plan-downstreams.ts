/**
 * The dispatch plan of one completion (src/dispatch/dispatch-plan.ts): which of its upstream's
 * downstreams start, with the reason when one does not, and which upstream runs their artifact
 * references take. Pure: what needs the state store (the joins) was decided and claimed before.
 */
import type { CompiledRunConfiguration } from '../config/loaded-config.ts';
import type { DispatchPlan } from '../dispatch/dispatch-plan.ts';
import { matched, notMatched, type MatchResult } from '../triggers/match-result.ts';
import type { JoinDecision } from './claim-join.ts';
import { downstreamsOf, type RunConfigurationIndex } from './run-configuration-index.ts';
import { readUpstreamPolicy } from './upstream-policy.ts';
import type { UpstreamRun } from './upstream-run.ts';

export const UPSTREAM_TRIGGER = 'upstream';

export interface DownstreamDecision {
  /** `namespace/name` of the upstream run configuration that completed. */
  readonly upstream: string;
  readonly run: UpstreamRun;
  /** The join decision (claimed or not) of every `mode: all` downstream this completion concerns. */
  readonly joins: ReadonlyMap<string, JoinDecision>;
  /** The upstream run was entered in the ledger by this completion. */
  readonly first: boolean;
}

export function planDownstreams(index: RunConfigurationIndex, decision: DownstreamDecision): DispatchPlan {
  const upstreamRuns = new Map<string, ReadonlyMap<string, UpstreamRun>>();
  const claimed = new Set<string>();
  const targets = downstreamsOf(index, decision.upstream).map((rc) => {
    const match = matchDownstream(rc, decision);
    if (match.matched) upstreamRuns.set(rc.key, runsFor(decision, decision.joins.get(rc.key)));
    if (decision.joins.get(rc.key)?.ready) claimed.add(rc.key);
    return { rc, match };
  });
  return { eventKey: decision.run.eventId, targets, upstreamRuns, neverDispatched: decision.first, upstream: { runConfiguration: decision.upstream, run: decision.run }, claimed };
}

/** Whether the completion starts `rc`, with the reason when it does not. */
function matchDownstream(rc: CompiledRunConfiguration, decision: DownstreamDecision): MatchResult {
  const verdict = readUpstreamPolicy(rc, decision.upstream, decision.run.status);
  if (verdict.fires === 'no') return notMatched(verdict.reason);
  if (verdict.fires === 'now') return matched(UPSTREAM_TRIGGER);
  const join = decision.joins.get(rc.key);
  if (join === undefined) return notMatched('join: not evaluated for this completion');
  return join.ready ? matched(UPSTREAM_TRIGGER) : notMatched(join.reason);
}

/** The completed run when it succeeded, then a join's claimed succeeded runs (which take precedence). */
function runsFor(decision: DownstreamDecision, join: JoinDecision | undefined): ReadonlyMap<string, UpstreamRun> {
  const runs = new Map<string, UpstreamRun>();
  if (decision.run.status === 'succeeded') runs.set(decision.upstream, decision.run);
  if (join?.ready) for (const r of join.runs) if (r.run.status === 'succeeded') runs.set(r.upstream, r.run);
  return runs;
}
