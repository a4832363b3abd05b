/**
 * Where intake records live: one record per event under `intake.<id>` in a StateStore — the file
 * store (an append-only journal with group commit, fsynced before `create` resolves) or NATS KV.
 * `create` is a compare-and-set on a key that must not exist, so an id is accepted once.
 */
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';
import type { IntakeRecord } from './intake-record.ts';

export interface IntakeStore {
  /** Stores a new record durably, or hands back the one already stored under its id. */
  create(record: IntakeRecord): Promise<{ readonly created: true } | { readonly created: false; readonly existing: IntakeRecord }>;
  update(record: IntakeRecord): Promise<void>;
  get(id: string): Promise<IntakeRecord | undefined>;
  /** Every record (start-up and status only). */
  list(): Promise<IntakeRecord[]>;
  remove(id: string): Promise<void>;
}

const PREFIX = 'intake';

export function stateIntakeStore(store: StateStore): IntakeStore {
  const key = (id: string): string => stateKey(PREFIX, id);
  const get = async (id: string): Promise<IntakeRecord | undefined> => (await store.get<IntakeRecord>(key(id)))?.value;
  return {
    async create(record) {
      try {
        await store.put(key(record.id), record, 0);
        return { created: true };
      } catch (error) {
        if (!(error instanceof StateConflictError)) throw error;
        const existing = await get(record.id);
        // Removed between the two calls (retention): the id is free again, store it.
        if (existing === undefined) return this.create(record);
        return { created: false, existing };
      }
    },
    async update(record) {
      await store.put(key(record.id), record);
    },
    get,
    async list() {
      const keys = await store.keys(`${PREFIX}.`);
      const records = await Promise.all(keys.map(async (k) => (await store.get<IntakeRecord>(k))?.value));
      return records.filter((r): r is IntakeRecord => r !== undefined);
    },
    async remove(id) {
      await store.delete(key(id));
    },
  };
}
