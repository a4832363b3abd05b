/**
 * The dedupe record: which run each (event, run configuration) produced. Written after the sink
 * confirmed the run exists, read before anything else is done, so a redelivered event answers with
 * the run it already created. The deterministic run name is the second line of defence when the
 * record is missing (a crash between submit and record, a replica that has not seen it).
 */
import type { SubmitResult } from '../sinks/sink.ts';
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';

export interface SubmissionRecord {
  readonly eventId: string;
  readonly runConfiguration: string;
  readonly trigger: string;
  readonly run: SubmitResult;
  readonly submittedAt: string;
}

export function submissionKey(eventId: string, runConfiguration: string): string {
  return stateKey('submissions', eventId, runConfiguration);
}

/** Index from a run (namespace/name) back to its submission, for completions that name only the run. */
export function runIndexKey(namespace: string, name: string): string {
  return stateKey('runs', namespace, name);
}

export async function findSubmission(store: StateStore, eventId: string, runConfiguration: string): Promise<SubmissionRecord | undefined> {
  return (await store.get<SubmissionRecord>(submissionKey(eventId, runConfiguration)))?.value;
}

export async function recordSubmission(store: StateStore, record: SubmissionRecord): Promise<void> {
  await Promise.all([
    createOnce(store, submissionKey(record.eventId, record.runConfiguration), record),
    createOnce(store, runIndexKey(record.run.namespace, record.run.name), record),
  ]);
}

async function createOnce(store: StateStore, key: string, value: unknown): Promise<void> {
  try {
    await store.put(key, value, 0);
  } catch (error) {
    // Another replica or a concurrent delivery recorded the same run first: same content, fine.
    if (!(error instanceof StateConflictError)) throw error;
  }
}
