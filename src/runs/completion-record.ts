/**
 * The state store's note that a run runbridge created has finished (`completions.<namespace>.<name>`),
 * for whoever needs to know without asking the run's engine: schedules with concurrencyPolicy
 * Forbid/Replace, and the file sink, whose runs carry no live status. Written by whatever learns
 * of the completion (a completion event, a status watch); the first note wins.
 */
import type { RunRef } from './run-ref.ts';
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';

export interface CompletionRecord {
  readonly namespace: string;
  readonly name: string;
  readonly status: 'succeeded' | 'failed';
  readonly endTime?: string | undefined;
  readonly recordedAt: string;
}

export function completionKey(namespace: string, name: string): string {
  return stateKey('completions', namespace, name);
}

export async function findCompletion(store: StateStore, run: Pick<RunRef, 'namespace' | 'name'>): Promise<CompletionRecord | undefined> {
  return (await store.get<CompletionRecord>(completionKey(run.namespace, run.name)))?.value;
}

export async function recordCompletion(store: StateStore, record: CompletionRecord): Promise<void> {
  try {
    await store.put(completionKey(record.namespace, record.name), record, 0);
  } catch (error) {
    if (!(error instanceof StateConflictError)) throw error;
  }
}
