/**
 * What the completion handler prepared for one dispatch, shared with the synchronous upstream
 * matcher, the artifact resolver and the submission hook. Keyed by the event object the handler
 * dispatches (a WeakMap: nothing to clean up, and two deliveries never share an entry).
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
  const snapshots = new WeakMap<RunbridgeEvent, ChainingSnapshot>();
  return {
    get: (event) => snapshots.get(event),
    set: (event, snapshot) => void snapshots.set(event, snapshot),
  };
}
