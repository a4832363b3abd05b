/**
 * The dispatcher's UpstreamMatcher: whether a completion starts a run configuration, with the
 * reason when it does not. Synchronous: what needs the state store (the join) was decided and
 * claimed by the completion handler before dispatch, and is read from its snapshot.
 */
import type { CompiledRunConfiguration } from '../config/loaded-config.ts';
import type { UpstreamMatcher } from '../dispatch/select-run-configurations.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { matched, notMatched } from '../triggers/match-result.ts';
import type { ChainingSnapshots } from './chaining-snapshot.ts';
import { downstreamsOf, type RunConfigurationIndex } from './run-configuration-index.ts';
import { readUpstreamPolicy } from './upstream-policy.ts';

export const UPSTREAM_TRIGGER = 'upstream';

export function createUpstreamMatcher(options: { index: RunConfigurationIndex; snapshots: ChainingSnapshots }): UpstreamMatcher {
  return (selectable, event) => {
    const snapshot = options.snapshots.get(event);
    if (snapshot === undefined) return notMatched('completion events start runs only through the completion handler (correlation, dedupe, join state)');
    const rc = options.index.byKey.get(selectable.key);
    if (rc === undefined) return notMatched(`run configuration ${selectable.key} is not configured`);
    const verdict = readUpstreamPolicy(rc, snapshot.upstream, snapshot.run.status);
    if (verdict.fires === 'no') return notMatched(verdict.reason);
    if (verdict.fires === 'now') return matched(UPSTREAM_TRIGGER);
    const join = snapshot.joins.get(rc.key);
    if (join === undefined) return notMatched('join: not evaluated for this completion');
    return join.ready ? matched(UPSTREAM_TRIGGER) : notMatched(join.reason);
  };
}

/**
 * For a completion the handler dispatches, the only run configurations the matcher can match: the
 * downstreams of its upstream (every other one is "not in triggers.runConfigurations"). Lets a
 * dispatcher select in O(downstreams) instead of asking about every run configuration; undefined
 * for any other event.
 */
export function createDownstreamCandidates(options: {
  index: RunConfigurationIndex;
  snapshots: ChainingSnapshots;
}): (event: RunbridgeEvent) => readonly CompiledRunConfiguration[] | undefined {
  return (event) => {
    const snapshot = options.snapshots.get(event);
    return snapshot === undefined ? undefined : downstreamsOf(options.index, snapshot.upstream);
  };
}
