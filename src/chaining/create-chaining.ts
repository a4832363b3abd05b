/**
 * Chaining in one call: the upstream matcher, artifact resolver and submission hook to give the
 * dispatcher, and the completion handler to build once the dispatcher exists. They share the
 * snapshots the handler prepares for each dispatch, and one view of the state store whose updates
 * of a key are coalesced (coalesce-record-updates.ts).
 *
 *   const chaining = createChaining({ loaded, store, logger, metrics });
 *   const dispatch = createDispatcher({ ..., ...chaining.dispatcherHooks });
 *   const handleCompletion = chaining.completionHandler(dispatch);
 */
import type { Logger } from 'pino';
import type { LoadedConfig } from '../config/loaded-config.ts';
import type { DispatcherOptions } from '../dispatch/create-dispatcher.ts';
import type { Dispatch } from '../dispatch/dispatch-outcome.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { StateStore } from '../state/store.ts';
import { createChainingSnapshots } from './chaining-snapshot.ts';
import { coalesceRecordUpdates } from './coalesce-record-updates.ts';
import { createArtifactResolver } from './create-artifact-resolver.ts';
import { createCompletionHandler, type HandleCompletion } from './create-completion-handler.ts';
import { createOnSubmitted } from './create-on-submitted.ts';
import { createDownstreamCandidates, createUpstreamMatcher } from './create-upstream-matcher.ts';
import { indexRunConfigurations } from './run-configuration-index.ts';

export interface ChainingOptions {
  readonly loaded: Pick<LoadedConfig, 'runConfigurations'>;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clock?: (() => Date) | undefined;
}

export interface Chaining {
  /** `candidates`: the run configurations a dispatched completion can start (its upstream's downstreams); undefined for other events. */
  readonly dispatcherHooks: Required<Pick<DispatcherOptions, 'upstream' | 'artifactResolver' | 'onSubmitted' | 'candidates' | 'neverDispatched'>>;
  completionHandler(dispatch: Dispatch): HandleCompletion;
}

export function createChaining(options: ChainingOptions): Chaining {
  const clock = options.clock ?? (() => new Date());
  const index = indexRunConfigurations(options.loaded);
  const snapshots = createChainingSnapshots();
  const { logger } = options;
  const store = coalesceRecordUpdates(options.store);
  return {
    dispatcherHooks: {
      upstream: createUpstreamMatcher({ index, snapshots }),
      artifactResolver: createArtifactResolver({ index, snapshots, store, logger, clock }),
      onSubmitted: createOnSubmitted({ snapshots, store, logger, clock }),
      candidates: createDownstreamCandidates({ index, snapshots }),
      neverDispatched: (event) => snapshots.get(event)?.first === true,
    },
    completionHandler: (dispatch) =>
      createCompletionHandler({ loaded: options.loaded, store, dispatch, snapshots, logger, metrics: options.metrics, clock, index }),
  };
}
