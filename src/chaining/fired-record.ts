/**
 * The last run each run configuration started (`chaining.fired.<rc>`), whatever triggered it, for
 * /status. A late writer never replaces a later submission, nor a
 * redelivery the submission of the same run.
 */
import type { SubmitResult } from '../runs/submitted-run.ts';
import { stateKey, type StateStore } from '../state/store.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';

export interface FiredRecord {
  readonly at: string;
  readonly eventId: string;
  readonly source: string;
  /** Which trigger matched: `git[0]`, `schedules[1]`, `upstream`, `manual`. */
  readonly trigger: string;
  readonly run: Pick<SubmitResult, 'apiVersion' | 'kind' | 'namespace' | 'name' | 'created'>;
  /** For runs a completion started: the upstream and its run. */
  readonly upstream?: { readonly runConfiguration: string; readonly run: string };
}

export function firedKey(runConfiguration: string): string {
  return stateKey('chaining', 'fired', runConfiguration);
}

export async function readFired(store: StateStore, runConfiguration: string): Promise<FiredRecord | undefined> {
  return (await store.get<FiredRecord>(firedKey(runConfiguration)))?.value;
}

/**
 * Stores `record` unless the stored one supersedes it. Concurrent runs of one run configuration
 * share one write of its key (coalesce-record-updates.ts), each call resolving once a record at
 * least as recent as its own is stored.
 */
export async function recordFired(store: CoalescingStore, runConfiguration: string, record: FiredRecord): Promise<void> {
  await store.update<FiredRecord>(firedKey(runConfiguration), (current) => (current !== undefined && !supersedes(record, current) ? undefined : record));
}

/** Whether `record` replaces `current`: it is not older, and names another run. */
function supersedes(record: FiredRecord, current: FiredRecord): boolean {
  return Date.parse(current.at) <= Date.parse(record.at) && current.run.name !== record.run.name;
}
