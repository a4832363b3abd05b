/**
 * What the JetStream intake shows of its backlog (status, gauges): the stream's depth and oldest
 * message, and the records of pending and dead events in the shared store. Reading them costs a
 * stream lookup and a walk over the records, so they are read again at most every REFRESH_MS,
 * when asked for (a scrape), or soon after this replica changed them; between reads the last ones
 * are shown.
 */
import type { StreamState } from '@nats-io/jetstream';
import type { IntakeRecord } from './intake-record.ts';
import type { IntakeStore } from './intake-store.ts';

export interface IntakeSnapshot {
  backlog(): { readonly pending: readonly IntakeRecord[]; readonly dead: readonly IntakeRecord[] };
  streamMessages(): number;
  oldestPendingAgeMs(): number;
  /** This replica changed the backlog: read it again at the next look. */
  changed(): void;
}

const REFRESH_MS = 15_000;

export function createIntakeSnapshot(options: { store: IntakeStore; streamState: () => Promise<StreamState>; clock: () => Date }): IntakeSnapshot {
  let pending: IntakeRecord[] = [];
  let dead: IntakeRecord[] = [];
  let messages = 0;
  let firstMs = 0;
  let readAt = -Infinity;
  let reading: Promise<void> | undefined;

  const refresh = (): void => {
    if (reading || options.clock().getTime() - readAt < REFRESH_MS) return;
    readAt = options.clock().getTime();
    reading = (async () => {
      const [state, stored] = await Promise.all([options.streamState(), options.store.list()]);
      const records = stored.map((s) => s.record);
      const byAge = (a: IntakeRecord, b: IntakeRecord): number => a.acceptedAt.localeCompare(b.acceptedAt);
      messages = state.messages;
      firstMs = state.messages > 0 ? Date.parse(state.first_ts) : 0;
      pending = records.filter((r) => r.state === 'pending').sort(byAge);
      dead = records.filter((r) => r.state === 'dead').sort(byAge);
    })()
      .catch(() => undefined)
      .finally(() => {
        reading = undefined;
      });
  };

  return {
    backlog() {
      refresh();
      return { pending, dead };
    },
    streamMessages() {
      refresh();
      return messages;
    },
    oldestPendingAgeMs() {
      refresh();
      return messages > 0 && firstMs > 0 ? Math.max(0, options.clock().getTime() - firstMs) : 0;
    },
    changed() {
      readAt = -Infinity;
      refresh();
    },
  };
}
