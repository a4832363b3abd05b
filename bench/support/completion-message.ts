/**
 * Run-completion messages as KFP-Operator publishes them on core NATS today: a bare
 * `{"data": {...}}` (no CloudEvents envelope), each for a new upstream run ending later than the
 * one before, so none is a duplicate or stale.
 */
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { parseCompletionMessage } from '../../src/sources/completions/parse-completion-message.ts';

const EPOCH = Date.parse('2026-01-15T00:00:00Z');

export interface CompletedRun {
  readonly runConfigurationName: string;
  readonly runName: string;
  readonly artifacts: readonly { readonly name: string; readonly location: string }[];
  /** Orders completions of one run configuration. */
  readonly sequence: number;
}

export function completionBody(run: CompletedRun): string {
  return JSON.stringify({
    data: {
      status: 'succeeded',
      provider: 'kfp-operator/vertex-ai',
      pipelineName: 'penguin-pipeline',
      runConfigurationName: run.runConfigurationName,
      runName: run.runName,
      runId: `${run.runName}-id`,
      runStartTime: new Date(EPOCH + run.sequence * 1000).toISOString(),
      runEndTime: new Date(EPOCH + run.sequence * 1000 + 500).toISOString(),
      artifacts: run.artifacts,
    },
  });
}

/** The event a completion source makes of that message. */
export function completionEvent(run: CompletedRun): RunbridgeEvent {
  return parseCompletionMessage({ headers: {}, body: completionBody(run) }, { transport: 'nats', receivedAt: new Date() });
}
