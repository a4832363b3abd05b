/**
 * Chaining in one call: its bookkeeping once a run was submitted (the dispatcher's onSubmitted),
 * and the completion handler to build once the dispatcher exists. Both work on the state store
 * whose updates of a key are coalesced (coalesce-record-updates.ts), the dispatcher's too.
 *
 *   const store = coalesceRecordUpdates(stateStore);
 *   const chaining = createChaining({ loaded, store, logger, metrics });
 *   const dispatch = createDispatcher({ ..., store, onSubmitted: chaining.onSubmitted });
 *   const handleCompletion = chaining.completionHandler(dispatch);
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/loaded-config.ts';
import type { OnSubmitted } from '../dispatch/create-dispatcher.ts';
import type { Dispatcher } from '../dispatch/dispatch-outcome.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { CoalescingStore } from './coalesce-record-updates.ts';
import { createCompletionHandler, type HandleCompletion } from './create-completion-handler.ts';
import { createOnSubmitted } from './create-on-submitted.ts';
import { indexRunConfigurations } from './run-configuration-index.ts';

export interface ChainingOptions {
  readonly loaded: Pick<LoadedConfig, 'runConfigurations'>;
  readonly store: CoalescingStore;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clock?: (() => Date) | undefined;
  /** `completions.maxClockSkewSeconds` (see trust-completion.ts). */
  readonly maxClockSkewSeconds?: number | undefined;
}

export interface Chaining {
  readonly onSubmitted: OnSubmitted;
  completionHandler(dispatch: Dispatcher): HandleCompletion;
}

export function createChaining(options: ChainingOptions): Chaining {
  const clock = options.clock ?? (() => new Date());
  const index = indexRunConfigurations(options.loaded);
  const { store, logger } = options;
  return {
    onSubmitted: createOnSubmitted({ store, logger, clock }),
    completionHandler: (dispatch) => createCompletionHandler({ index, store, dispatch, logger, metrics: options.metrics, clock, maxClockSkewSeconds: options.maxClockSkewSeconds }),
  };
}
