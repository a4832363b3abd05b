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
  await updateRecord<FiredRecord>(store, firedKey(runConfiguration), (current) => (current !== undefined && !supersedes(record, current) ? undefined : record));
}

/** Whether `record` replaces `current`: it is not older, and names another run. */
function supersedes(record: FiredRecord, current: FiredRecord): boolean {
  return Date.parse(current.at) <= Date.parse(record.at) && current.run.name !== record.run.name;
}

/**
 * recordFired for one process, without making concurrent runs of one run configuration contend
 * for its one key: while a write of the key is under way, the records that arrive wait, and only
 * the one that supersedes the others is written next, once, for all of them. Each call still
 * resolves only when a record at least as recent as its own is stored (or rejects with the write's
 * error), so a run is answered after its bookkeeping, as with recordFired. Other replicas are
 * still met with recordFired's compare-and-set.
 */
export function createFiredRecorder(store: StateStore): (runConfiguration: string, record: FiredRecord) => Promise<void> {
  interface Batch {
    record: FiredRecord;
    readonly waiters: { resolve: () => void; reject: (error: unknown) => void }[];
  }
  /** Per run configuration: the batch waiting for the write under way (undefined: none waiting). */
  const queued = new Map<string, Batch | undefined>();

  const drain = async (runConfiguration: string): Promise<void> => {
    for (let batch = queued.get(runConfiguration); batch !== undefined; batch = queued.get(runConfiguration)) {
      queued.set(runConfiguration, undefined);
      try {
        await recordFired(store, runConfiguration, batch.record);
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    queued.delete(runConfiguration);
  };

  return (runConfiguration, record) =>
    new Promise<void>((resolve, reject) => {
      const writing = queued.has(runConfiguration);
      const batch = queued.get(runConfiguration);
      if (batch === undefined) {
        queued.set(runConfiguration, { record, waiters: [{ resolve, reject }] });
      } else {
        if (Date.parse(batch.record.at) <= Date.parse(record.at)) batch.record = record;
        batch.waiters.push({ resolve, reject });
      }
      if (!writing) void drain(runConfiguration);
    });
}
