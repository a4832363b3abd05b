/**
 * The join (`triggers.upstream.mode: all`): a downstream fires when EVERY upstream has a run
 * (succeeded, failed or either, per `triggers.upstream.on`) newer than the one it last consumed.
 * The decision is made against the state store and claimed by compare-and-set on the consumed
 * record, so concurrent completions of different upstreams start exactly one run, and a completion
 * handled again under the same event id finds its own claim.
 */
import type { StateStore } from '../state/store.ts';
import { StateConflictError } from '../state/store.ts';
import { consumedKey, consumedRunOf, readConsumed, type ConsumedRecord, type ConsumedRun } from './consumed-record.ts';
import { latestFor, readLatestRuns, type LatestRuns, type UpstreamOutcome } from './latest-runs.ts';
import { describeRun } from './upstream-run.ts';

export type JoinDecision = { readonly ready: true; readonly runs: readonly ConsumedRun[] } | { readonly ready: false; readonly reason: string };

/** Pure: is every upstream's latest run (per `on`) newer than the one consumed? */
export function evaluateJoin(
  upstreams: readonly string[],
  on: UpstreamOutcome,
  latest: ReadonlyMap<string, LatestRuns>,
  consumed: ConsumedRecord | undefined,
): JoinDecision {
  const runs: ConsumedRun[] = [];
  const waiting: string[] = [];
  const what = on === 'completed' ? 'completed' : on;
  for (const upstream of upstreams) {
    const run = latestFor(latest.get(upstream) ?? {}, on);
    const used = consumedRunOf(consumed, upstream);
    if (run === undefined) waiting.push(`${upstream} (no ${what} run yet)`);
    else if (used !== undefined && used.runKey === run.runKey) waiting.push(`${upstream} (no newer ${what} run than ${describeRun(used)})`);
    else runs.push({ upstream, run });
  }
  return waiting.length ? { ready: false, reason: `join: waiting for ${waiting.join(', ')}` } : { ready: true, runs };
}

export async function claimJoin(
  store: StateStore,
  downstream: string,
  policy: { readonly upstreams: readonly string[]; readonly on: UpstreamOutcome },
  claim: { readonly eventId: string; readonly at: string },
): Promise<JoinDecision> {
  for (;;) {
    const current = await readConsumed(store, downstream);
    if (current?.value.eventId === claim.eventId) return { ready: true, runs: current.value.runs };
    const latest = new Map(await Promise.all(policy.upstreams.map(async (u) => [u, await readLatestRuns(store, u)] as const)));
    const decision = evaluateJoin(policy.upstreams, policy.on, latest, current?.value);
    if (!decision.ready) return decision;
    const previous = current ? withoutPrevious(current.value) : undefined;
    const record: ConsumedRecord = { runs: decision.runs, eventId: claim.eventId, claimedAt: claim.at, ...(previous ? { previous } : {}) };
    try {
      await store.put(consumedKey(downstream), record, current?.revision ?? 0);
      return decision;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
  }
}

/** Undoes this event's claim when its run could not be created, unless something claimed since. */
export async function releaseJoin(store: StateStore, downstream: string, eventId: string): Promise<boolean> {
  const current = await readConsumed(store, downstream);
  if (current?.value.eventId !== eventId || current.value.started !== undefined) return false;
  try {
    await store.put(consumedKey(downstream), current.value.previous ?? { runs: [] }, current.revision);
    return true;
  } catch (error) {
    if (error instanceof StateConflictError) return false;
    throw error;
  }
}

function withoutPrevious(record: ConsumedRecord): Omit<ConsumedRecord, 'previous'> {
  const { previous: _previous, ...rest } = record;
  return rest;
}
