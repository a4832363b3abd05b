/**
 * Where the daemon plugs the publisher in. Publishing is a side effect: a failure is logged and
 * never turns a created run, or a handled completion, into an error.
 *
 * - `publishOnSubmitted`: the dispatcher's onSubmitted hook (compose with others' hooks).
 * - `publishCompletions`: wraps the Kubernetes status watch's handler, so each watched run that
 *   completed is published once it was handled (NATS and HTTP completions are not published again:
 *   they came from someone who publishes them already, and republishing could loop).
 */
import type { Logger } from 'pino';
import type { OnSubmitted } from '../dispatch/create-dispatcher.ts';
import type { RunOutcome } from '../dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import { LogKeys } from '../observability/log-keys.ts';
import type { HandleCompletionEvent } from '../sources/completions/handle-completion-event.ts';
import type { Publisher } from './create-publisher.ts';

export function publishOnSubmitted(publisher: Publisher, logger: Logger): (rc: { readonly key: string }, event: RunbridgeEvent, outcome: RunOutcome) => Promise<void> {
  return async (rc, event, outcome) => {
    if (!outcome.run) return;
    try {
      await publisher.runSubmitted({ runConfiguration: rc.key, trigger: outcome.trigger, event, run: outcome.run });
    } catch (error) {
      logger.warn({ err: error, [LogKeys.eventId]: event.id, [LogKeys.runConfiguration]: rc.key }, 'run submitted, but publishing dev.runbridge.run.submitted failed');
    }
  };
}

export function publishCompletions(handle: HandleCompletionEvent, publisher: Publisher, logger: Logger): HandleCompletionEvent {
  return async (event) => {
    const verdict = await handle(event);
    if (verdict.status < 500) {
      try {
        await publisher.runCompleted(event);
      } catch (error) {
        logger.warn({ err: error, [LogKeys.eventId]: event.id }, 'completion handled, but publishing it failed');
      }
    }
    return verdict;
  };
}

/** Runs several onSubmitted hooks in order; each one's failure is its own business. */
export function composeOnSubmitted(...hooks: readonly OnSubmitted[]): OnSubmitted {
  return async (rc, event, outcome, plan) => {
    for (const hook of hooks) await hook(rc, event, outcome, plan);
  };
}
