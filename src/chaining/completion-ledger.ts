/**
 * The ledger of upstream runs seen (`chaining.completions.<rc>.<run>`), created once per upstream
 * run: the same run reported again (a redelivery, a second completion source) finds the entry.
 * The entry keeps the id of the event that first reported the run, so a completion handled again
 * after a crash dispatches under that same id and gets the same run names; `handled` is set once
 * nothing is left to retry, and a duplicate answers with it.
 */
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';
import type { HandledCompletion } from './completion-outcome.ts';
import { updateRecord } from './update-record.ts';
import type { UpstreamRun } from './upstream-run.ts';

export interface LedgerEntry {
  readonly runConfiguration: string;
  readonly run: UpstreamRun;
  readonly receivedAt: string;
  readonly handled?: HandledCompletion;
}

export function ledgerKey(runConfiguration: string, runKey: string): string {
  return stateKey('chaining', 'completions', runConfiguration, runKey);
}

export interface EnteredCompletion {
  readonly first: boolean;
  readonly entry: LedgerEntry;
  /** The entry's revision as created or read, for markHandled. */
  readonly revision: number;
}

/** Creates the entry, or returns the one an earlier report of the same run created. */
export async function enterCompletion(store: StateStore, entry: LedgerEntry): Promise<EnteredCompletion> {
  const key = ledgerKey(entry.runConfiguration, entry.run.runKey);
  for (;;) {
    try {
      return { first: true, entry, revision: await store.put(key, entry, 0) };
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
    const existing = await store.get<LedgerEntry>(key);
    if (existing) return { first: false, entry: existing.value, revision: existing.revision };
  }
}

/**
 * Sets `handled` once. Written straight on the revision enterCompletion saw (one write, no read);
 * when the entry changed since, read again and set it unless something else did.
 */
export async function markHandled(store: StateStore, entered: Omit<EnteredCompletion, 'first'>, handled: HandledCompletion): Promise<void> {
  const key = ledgerKey(entered.entry.runConfiguration, entered.entry.run.runKey);
  if (entered.entry.handled === undefined) {
    try {
      await store.put(key, { ...entered.entry, handled }, entered.revision);
      return;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
  }
  await updateRecord<LedgerEntry>(store, key, (current) => (current === undefined || current.handled !== undefined ? undefined : { ...current, handled }));
}
