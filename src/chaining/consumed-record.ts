/**
 * What a join downstream last consumed (`chaining.consumed.<rc>`): for each upstream, the run whose
 * completion (and artifacts) its latest run was started with. A join (`mode: all`) fires only when
 * every upstream has a run newer than the one recorded here, and claims them by compare-and-set
 * before the run is submitted, so that two completions arriving together start one run.
 */
import type { SubmitResult } from '../runs/submitted-run.ts';
import { stateKey, type StateStore, type StoredValue } from '../state/store.ts';
import type { UpstreamRun } from './upstream-run.ts';

export interface ConsumedRun {
  readonly upstream: string;
  readonly run: UpstreamRun;
}

export interface ConsumedRecord {
  readonly runs: readonly ConsumedRun[];
  /** The completion event whose dispatch claimed these runs. */
  readonly eventId?: string;
  readonly claimedAt?: string;
  /** The downstream run started with them, once submitted. */
  readonly started?: Pick<SubmitResult, 'apiVersion' | 'kind' | 'namespace' | 'name'>;
  /** What was consumed before this claim, restored when the claim's run could not be created. */
  readonly previous?: Omit<ConsumedRecord, 'previous'>;
}

export function consumedKey(runConfiguration: string): string {
  return stateKey('chaining', 'consumed', runConfiguration);
}

export async function readConsumed(store: StateStore, runConfiguration: string): Promise<StoredValue<ConsumedRecord> | undefined> {
  return store.get<ConsumedRecord>(consumedKey(runConfiguration));
}

export function consumedRunOf(record: ConsumedRecord | undefined, upstream: string): UpstreamRun | undefined {
  return record?.runs.find((r) => r.upstream === upstream)?.run;
}
