/**
 * The last time a run configuration's upstream artifacts could not be resolved, and why
 * (`chaining.resolution.<rc>`), for /status. A later successful resolution is noted next to it.
 */
import { stateKey, type StateStore } from '../state/store.ts';
import type { Dependency } from './explain-dependencies.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';

export interface ResolutionFailure {
  readonly at: string;
  readonly eventId: string;
  readonly message: string;
  readonly problems: readonly Pick<Dependency, 'parameter' | 'upstream' | 'outputArtifact' | 'reason'>[];
}

export interface ResolutionRecord {
  readonly lastFailure?: ResolutionFailure;
  /** The first successful resolution after the last failure. */
  readonly resolvedSince?: { readonly at: string; readonly eventId: string };
}

export function resolutionKey(runConfiguration: string): string {
  return stateKey('chaining', 'resolution', runConfiguration);
}

export async function readResolution(store: StateStore, runConfiguration: string): Promise<ResolutionRecord> {
  return (await store.get<ResolutionRecord>(resolutionKey(runConfiguration)))?.value ?? {};
}

export function resolutionMessage(problems: readonly Pick<Dependency, 'parameter' | 'reason'>[]): string {
  return `Unable to resolve parameters: ${problems.map((p) => `parameter "${p.parameter}": ${p.reason ?? 'unresolved'}`).join('; ')}`;
}

export async function recordResolution(
  store: CoalescingStore,
  runConfiguration: string,
  outcome: { at: string; eventId: string; blocking: readonly Dependency[] },
): Promise<void> {
  const { at, eventId, blocking } = outcome;
  await store.update<ResolutionRecord>(resolutionKey(runConfiguration), (current) => {
    if (blocking.length > 0) {
      const problems = blocking.map(({ parameter, upstream, outputArtifact, reason }) => ({ parameter, upstream, outputArtifact, ...(reason ? { reason } : {}) }));
      return { lastFailure: { at, eventId, message: resolutionMessage(blocking), problems } };
    }
    if (current?.lastFailure === undefined || current.resolvedSince !== undefined) return undefined;
    return { ...current, resolvedSince: { at, eventId } };
  });
}
