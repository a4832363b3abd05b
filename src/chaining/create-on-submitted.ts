/**
 * The dispatcher's hook once a run was submitted (its submission record is written meanwhile):
 * notes the run as the run configuration's last fired one (with the upstream run, for runs a completion started), and gives
 * a join's claim the run it produced. Bookkeeping only: a failure here is logged and never turns a
 * created run into an error.
 */
import type { Logger } from 'pino';
import type { DispatchTarget } from '../dispatch/create-dispatcher.ts';
import type { RunOutcome } from '../dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LOG_KEYS } from '../observability/log-keys.ts';
import type { ChainingSnapshots } from './chaining-snapshot.ts';
import { consumedKey, type ConsumedRecord } from './consumed-record.ts';
import { recordFired } from './fired-record.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { describeRun } from './upstream-run.ts';

export function createOnSubmitted(options: {
  snapshots: ChainingSnapshots;
  store: CoalescingStore;
  logger: Logger;
  clock: () => Date;
}): (rc: DispatchTarget, event: RunbridgeEvent, outcome: RunOutcome) => Promise<void> {
  const now = isoClock(options.clock);
  return async (rc, event, outcome) => {
    const run = outcome.run;
    if (run === undefined) return;
    const snapshot = options.snapshots.get(event);
    const at = now();
    const started = { apiVersion: run.apiVersion, kind: run.kind, namespace: run.namespace, name: run.name };
    try {
      await recordFired(options.store, rc.key, {
        at,
        eventId: event.id,
        source: event.source,
        trigger: outcome.trigger,
        run: { ...started, created: run.created },
        ...(snapshot ? { upstream: { runConfiguration: snapshot.upstream, run: describeRun(snapshot.run) } } : {}),
      });
      if (!snapshot?.joins.get(rc.key)?.ready) return;
      await options.store.update<ConsumedRecord>(consumedKey(rc.key), (current) =>
        current?.eventId === event.id && current.started === undefined ? { ...current, started } : undefined,
      );
    } catch (error) {
      options.logger.error({ err: error, [LOG_KEYS.eventId]: event.id, [LOG_KEYS.runConfiguration]: rc.key, run: run.name }, 'run created, but chaining bookkeeping failed');
    }
  };
}
