/**
 * Chaining's bookkeeping once a run was submitted (its submission record is written meanwhile):
 * notes the run as the run configuration's last fired one (with the upstream run, for runs a
 * completion started), and gives a join's claim the run it produced. Bookkeeping only: a failure
 * here is logged and never turns a created run into an error.
 */
import type { Logger } from 'pino';
import type { OnSubmitted } from '../dispatch/create-dispatcher.ts';
import { isoClock } from '../events/iso-clock.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { consumedKey, type ConsumedRecord } from './consumed-record.ts';
import { recordFired } from './fired-record.ts';
import { describeRun } from './upstream-run.ts';

export function createOnSubmitted(options: { store: CoalescingStore; logger: Logger; clock: () => Date }): OnSubmitted {
  const now = isoClock(options.clock);
  return async (rc, event, outcome, plan) => {
    const run = outcome.run;
    if (run === undefined) return;
    const at = now();
    const started = { apiVersion: run.apiVersion, kind: run.kind, namespace: run.namespace, name: run.name };
    try {
      await recordFired(options.store, rc.key, {
        at,
        eventId: event.id,
        source: event.source,
        trigger: outcome.trigger,
        run: { ...started, created: run.created },
        ...(plan ? { upstream: { runConfiguration: plan.upstream.runConfiguration, run: describeRun(plan.upstream.run) } } : {}),
      });
      if (!plan?.claimed.has(rc.key)) return;
      await options.store.update<ConsumedRecord>(consumedKey(rc.key), (current) =>
        current?.eventId === event.id && current.started === undefined ? { ...current, started } : undefined,
      );
    } catch (error) {
      options.logger.error({ err: error, [LogKeys.eventId]: event.id, [LogKeys.runConfiguration]: rc.key, run: run.name }, 'run created, but chaining bookkeeping failed');
    }
  };
}
