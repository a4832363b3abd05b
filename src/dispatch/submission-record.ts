/**
 * The submission record: which run each (event, run configuration) produced. Written after the
 * sink confirmed the run exists, read before anything else is done, so a redelivered event answers
 * with the run it already created; completions that name only the run find their run
 * configuration through it. The deterministic run name is the second line of defence when the
 * record is missing (a crash between submit and record, a replica that has not seen it).
 *
 * One record serves both, keyed by the run (`runs.<ns>.<name>`): the name is the run's default
 * name (defaultRunName) unless the template names the run itself, so the dedupe lookup knows the
 * key before rendering. Only a run named otherwise (an explicit
 * `metadata.name`, a `generateName` that shapes to another prefix, a cluster-scoped run) also gets
 * the record under `submissions.<event>.<run configuration>` for the dedupe lookup.
 */
import { runIdentity, runName } from '../render/run-name.ts';
import type { SubmitResult } from '../runs/submitted-run.ts';
import { StateConflictError, stateKey, type StateStore } from '../state/store.ts';

export interface SubmissionRecord {
  readonly eventId: string;
  readonly runConfiguration: string;
  readonly trigger: string;
  readonly run: SubmitResult;
  readonly submittedAt: string;
}

/** Where the record of a run not named by defaultRunName is found by event. */
export function submissionKey(eventId: string, runConfiguration: string): string {
  return stateKey('submissions', eventId, runConfiguration);
}

/** The record of a run (namespace/name), for completions that name only the run. */
export function runIndexKey(namespace: string, name: string): string {
  return stateKey('runs', namespace, name);
}

/**
 * The name the dispatcher gives the run of (event, run configuration) unless its template names it:
 * the run configuration's name and the run's identity. The dispatcher builds it from the identity
 * it computes once per run; the scheduler, looking up a slot's run, from here.
 */
export function defaultRunName(eventId: string, runConfiguration: string): string {
  return runName(runConfiguration.slice(runConfiguration.indexOf('/') + 1), runIdentity(runConfiguration, eventId));
}

/**
 * The keys a record of (event, run configuration `namespace/name`) can be under, the run's first.
 * `name`: the run's default name, defaultRunName(event id, run configuration).
 */
export function submissionKeys(eventId: string, runConfiguration: string, name: string): [byRun: string, byEvent: string] {
  return [defaultRunKey(runConfiguration, name), submissionKey(eventId, runConfiguration)];
}

/** The key of the run named `name` in the run configuration's namespace. */
function defaultRunKey(runConfiguration: string, name: string): string {
  return runIndexKey(runConfiguration.slice(0, runConfiguration.indexOf('/')), name);
}

/** `name`: the run's default name, defaultRunName(event id, run configuration). */
export async function findSubmission(store: StateStore, eventId: string, runConfiguration: string, name: string): Promise<SubmissionRecord | undefined> {
  const [byRun, byEvent] = submissionKeys(eventId, runConfiguration, name);
  const [run, event] = await Promise.all([store.get<SubmissionRecord>(byRun), store.get<SubmissionRecord>(byEvent)]);
  return run && isOf(run.value, eventId, runConfiguration) ? run.value : event?.value;
}

/** `name`: the run's default name, defaultRunName(event id, run configuration). */
export async function recordSubmission(store: StateStore, record: SubmissionRecord, name: string): Promise<void> {
  const { eventId, runConfiguration } = record;
  const byRun = runIndexKey(record.run.namespace, record.run.name);
  // The key by event is made only when it is written: most runs are recorded by run alone.
  const byEvent = (): string => submissionKey(eventId, runConfiguration);
  if (byRun !== defaultRunKey(runConfiguration, name)) {
    await Promise.all([createOnce(store, byRun, record), createOnce(store, byEvent(), record)]);
    return;
  }
  // The run's key already holds another event's record (a name chosen twice): the dedupe lookup
  // finds this one by event instead.
  if (!(await createOnce(store, byRun, record))) await createOnce(store, byEvent(), record);
}

/** Creates `key` unless it exists: true when it now holds this submission. */
async function createOnce(store: StateStore, key: string, record: SubmissionRecord): Promise<boolean> {
  try {
    await store.put(key, record, 0);
    return true;
  } catch (error) {
    // A concurrent delivery or another replica recorded it first: the same content, fine.
    if (!(error instanceof StateConflictError)) throw error;
    const existing = (await store.get<SubmissionRecord>(key))?.value;
    return existing === undefined || isOf(existing, record.eventId, record.runConfiguration);
  }
}

function isOf(record: SubmissionRecord, eventId: string, runConfiguration: string): boolean {
  return record.eventId === eventId && record.runConfiguration === runConfiguration;
}
