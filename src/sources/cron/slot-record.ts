/**
 * What the state store remembers of one schedule (`schedules.<run configuration>.<index>`): the
 * last slot it handled and how. The record is claimed with compare-and-set BEFORE the tick is
 * dispatched, so two processes cannot both take a slot; a record left `claimed` (a crash, a failed
 * attempt) is finished later with the same event id, which the dispatcher makes harmless.
 */
import type { RunRef } from '../../runs/run-ref.ts';
import type { SubmitResult } from '../../runs/submitted-run.ts';
import { stateKey, type StateStore } from '../../state/store.ts';

export type SlotState = 'claimed' | 'fired' | 'skipped' | 'failed';

export interface SlotRecord {
  /** The last slot handled, ISO-8601 UTC. */
  readonly slot: string;
  readonly eventId: string;
  /**
   * claimed: taken, its run not confirmed yet; fired: the run exists; skipped: not fired on
   * purpose (`reason`); failed: the dispatch failed for good or was given up.
   */
  readonly state: SlotState;
  readonly reason?: string;
  /** Dispatch attempts for this slot. */
  readonly attempts: number;
  /**
   * The intake has stored this slot's tick (claimed slots): from then on the intake creates its
   * run, however long the cluster is away, so the slot is never given up as failed.
   */
  readonly accepted?: boolean;
  /** The most recent run this schedule created (this slot's or an earlier one's), for Forbid/Replace. */
  readonly lastRun?: RunRef;
  readonly updatedAt: string;
}

export interface StoredSlot {
  readonly record: SlotRecord | undefined;
  /** 0 when there is no record yet. */
  readonly revision: number;
}

export function slotKey(runConfiguration: string, index: number): string {
  return stateKey('schedules', runConfiguration, String(index));
}

export async function readSlot(store: StateStore, runConfiguration: string, index: number): Promise<StoredSlot> {
  const stored = await store.get<SlotRecord>(slotKey(runConfiguration, index));
  return { record: stored?.value, revision: stored?.revision ?? 0 };
}

/** Writes the record only if it is still at `revision`; throws StateConflictError otherwise. */
export async function writeSlot(store: StateStore, runConfiguration: string, index: number, record: SlotRecord, revision: number): Promise<StoredSlot> {
  const next = await store.put(slotKey(runConfiguration, index), record, revision);
  return { record, revision: next };
}

export function runRefOf(run: Pick<SubmitResult, 'apiVersion' | 'kind' | 'namespace' | 'name'>): RunRef {
  return { apiVersion: run.apiVersion, kind: run.kind, namespace: run.namespace, name: run.name };
}
