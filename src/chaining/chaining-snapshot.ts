/**
 * What the completion handler prepared for one dispatch, shared with the synchronous upstream
 * matcher, the artifact resolver and the submission hook. Kept on the event object the handler
 * dispatches (made for that dispatch), under a symbol of this set of snapshots, not enumerable: a
 * copy of the event does not carry it, nothing is left to clean up, and two deliveries never share
 * one. A property store per completion instead of a WeakMap entry (an ephemeron the collector
 * has to trace).
 */
import type { RunbridgeEvent } from '../events/event.ts';
import type { JoinDecision } from './claim-join.ts';
import type { UpstreamRun } from './upstream-run.ts';

export interface ChainingSnapshot {
  /** `namespace/name` of the upstream run configuration that completed. */
  readonly upstream: string;
  readonly run: UpstreamRun;
  /** The join decision (claimed or not) of every `mode: all` downstream this completion concerns. */
  readonly joins: ReadonlyMap<string, JoinDecision>;
  /**
   * The upstream run was entered in the ledger by this completion: nothing was ever dispatched
   * under its event id (every earlier attempt would have found the entry), so no submission
   * record can exist for it yet.
   */
  readonly first: boolean;
}

export interface ChainingSnapshots {
  get(event: RunbridgeEvent): ChainingSnapshot | undefined;
  set(event: RunbridgeEvent, snapshot: ChainingSnapshot): void;
}

export function createChainingSnapshots(): ChainingSnapshots {
  const key = Symbol('chainingSnapshot');
  return {
    get: (event) => (event as { readonly [key]?: ChainingSnapshot })[key],
    set: (event, snapshot) => void Object.defineProperty(event, key, { value: snapshot, configurable: true }),
  };
}
