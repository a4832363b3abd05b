/**
 * The ledger of upstream runs seen (`chaining.completions.<rc>.<run>`), created once per upstream
 * run: the same run reported again (a redelivery, a second completion source) finds the entry.
 * The entry keeps the id of the event that first reported the run, so a completion handled again
 * after a crash dispatches under that same id and gets the same run names; `handled` is set once
 * nothing is left to retry, and a duplicate answers with it.
 *
 * Stored, `handled` leaves out what the entry holds already (the upstream run configuration, the
 * run's name, its artifacts and misses): the mark is the largest record an event writes, and
 * those fields are put back when the entry is read.
 */
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';
import type { HandledCompletion } from './completion-outcome.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { describeRun, type UpstreamRun } from './upstream-run.ts';

export interface LedgerEntry {
  readonly runConfiguration: string;
  readonly run: UpstreamRun;
  readonly receivedAt: string;
  readonly handled?: HandledCompletion;
}

/** `handled` as stored: the fields the entry holds already may be left out. */
type StoredHandled = Omit<HandledCompletion, 'runConfiguration' | 'run' | 'artifacts' | 'misses'> & {
  readonly runConfiguration?: string;
  readonly run?: string;
  readonly artifacts?: UpstreamRun['artifacts'];
  readonly misses?: UpstreamRun['misses'];
};

type StoredEntry = Omit<LedgerEntry, 'handled'> & { readonly handled?: StoredHandled };

/** The entry as written: `handled` without what the entry says already. */
function toStored(entry: LedgerEntry, handled: HandledCompletion): StoredEntry {
  const fields = handled as unknown as Readonly<Record<string, unknown>>;
  const stored: Record<string, unknown> = {};
  for (const name in fields) {
    const value = fields[name];
    if (name === 'runConfiguration' && value === entry.runConfiguration) continue;
    if (name === 'run' && value === describeRun(entry.run)) continue;
    if ((name === 'artifacts' || name === 'misses') && value === entry.run[name]) continue;
    stored[name] = value;
  }
  return { ...entry, handled: stored as unknown as StoredHandled };
}

/** The entry as read: `handled` whole again, its fields in the order the handler gives them. */
function fromStored(stored: StoredEntry): LedgerEntry {
  const { handled, ...entry } = stored;
  if (handled === undefined) return entry;
  const { eventId, runConfiguration, run, outcome, artifacts, misses, ...rest } = handled as StoredHandled & { outcome: string };
  const whole = {
    eventId,
    runConfiguration: runConfiguration ?? entry.runConfiguration,
    run: run ?? describeRun(entry.run),
    outcome,
    ...(outcome === 'dispatched' ? { artifacts: artifacts ?? entry.run.artifacts, misses: misses ?? entry.run.misses } : {}),
    ...rest,
  };
  return { ...entry, handled: whole as HandledCompletion };
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
    const existing = await store.get<StoredEntry>(key);
    if (existing) return { first: false, entry: fromStored(existing.value), revision: existing.revision };
  }
}

/**
 * Sets `handled` once. Written straight on the revision enterCompletion saw (one write, no read);
 * when the entry changed since, read again and set it unless something else did.
 */
export async function markHandled(store: CoalescingStore, entered: Omit<EnteredCompletion, 'first'>, handled: HandledCompletion): Promise<void> {
  const key = ledgerKey(entered.entry.runConfiguration, entered.entry.run.runKey);
  if (entered.entry.handled === undefined) {
    try {
      await store.put(key, toStored(entered.entry, handled), entered.revision);
      return;
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
    }
  }
  await store.update<StoredEntry>(key, (current) => (current === undefined || current.handled !== undefined ? undefined : toStored(fromStored(current), handled)));
}
