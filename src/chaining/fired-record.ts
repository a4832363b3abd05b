/**
 * The last run each run configuration started (`chaining.fired.<rc>`), whatever triggered it, for
 * /status. A late writer never replaces a later submission, nor a
 * redelivery the submission of the same run.
 */
import type { SubmitResult } from '../sinks/sink.ts';
import { stateKey, type StateStore } from '../state/store.ts';
import { updateRecord } from './update-record.ts';

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

export async function recordFired(store: StateStore, runConfiguration: string, record: FiredRecord): Promise<void> {
  await updateRecord<FiredRecord>(store, firedKey(runConfiguration), (current) =>
    current !== undefined && (Date.parse(current.at) > Date.parse(record.at) || current.run.name === record.run.name) ? undefined : record,
  );
}
