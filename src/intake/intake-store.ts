/**
 * Where intake records live: one record per event under `intake.<id>` in a StateStore — the file
 * store (an append-only journal with group commit, fsynced before `create` resolves) or NATS KV.
 * `create` is a compare-and-set on a key that must not exist, so an id is accepted once; `update`
 * is a compare-and-set on the revision the writer read, so no writer overwrites a change it has
 * not seen (another replica's "done"). Done records live for the retention (`intakeRetention`),
 * pending events and dead letters until they are done.
 */
import type { RetentionRule } from '../state/retention.ts';
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';
import type { IntakeRecord } from './intake-record.ts';

/** A record and the revision it is stored at (the `expectedRevision` of the next update). */
export interface StoredIntakeRecord {
  readonly record: IntakeRecord;
  readonly revision: number;
}

export interface IntakeStore {
  /** Stores a new record durably, or hands back the one already stored under its id. */
  create(record: IntakeRecord): Promise<{ readonly created: true; readonly revision: number } | { readonly created: false; readonly existing: IntakeRecord }>;
  /**
   * Writes `record` if the stored one is still at `revision` (0: none stored); otherwise throws
   * StateConflictError and changes nothing. Returns the new revision.
   */
  update(record: IntakeRecord, revision: number): Promise<number>;
  get(id: string): Promise<StoredIntakeRecord | undefined>;
  /** Every record (start-up and status only). */
  list(): Promise<StoredIntakeRecord[]>;
}

const PREFIX = 'intake';

/** The intake's records that expire: done ones, after `lifetimeMs`; pending events and dead letters stay. */
export function intakeRetention(lifetimeMs: number): RetentionRule {
  return { prefix: `${PREFIX}.`, lifetimeMs, applies: isDoneRecord };
}

function isDoneRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Partial<IntakeRecord>).state === 'done';
}

export function stateIntakeStore(store: StateStore): IntakeStore {
  const key = (id: string): string => stateKey(PREFIX, id);
  const read = async (stateKeyOf: string): Promise<StoredIntakeRecord | undefined> => {
    const stored = await store.get<IntakeRecord>(stateKeyOf);
    return stored && { record: stored.value, revision: stored.revision };
  };
  return {
    async create(record) {
      try {
        return { created: true, revision: await store.put(key(record.id), record, 0) };
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        const existing = await read(key(record.id));
        // Expired between the two calls (retention): the id is free again, store it.
        if (existing === undefined) return this.create(record);
        return { created: false, existing: existing.record };
      }
    },
    update: (record, revision) => store.put(key(record.id), record, revision),
    get: (id) => read(key(id)),
    async list() {
      const records = await Promise.all((await store.keys(`${PREFIX}.`)).map(read));
      return records.filter((r): r is StoredIntakeRecord => r !== undefined);
    },
  };
}
