/**
 * Parses one received completion message; a malformed one is logged (one line: where from, the
 * reason, the message) and counted in `runbridge_completions_rejected_total{source, reason}`, and
 * comes back as the error, so that the source can answer it (HTTP 400/415, JetStream term()).
 */
import type { Logger } from 'pino';
import type { RunbridgeEvent } from '../../events/event.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { CompletionRejectedError } from './completion-rejected-error.ts';
import type { CompletionMessage } from './decode-cloud-event.ts';
import { parseCompletionMessage, type CompletionTransport } from './parse-completion-message.ts';

export interface CompletionSourceContext {
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly clock?: (() => Date) | undefined;
}

export type ReadCompletion = { readonly ok: true; readonly event: RunbridgeEvent } | { readonly ok: false; readonly error: CompletionRejectedError };

export function readCompletion(
  message: CompletionMessage,
  transport: CompletionTransport,
  context: CompletionSourceContext,
  where: Readonly<Record<string, unknown>> = {},
): ReadCompletion {
  try {
    return { ok: true, event: parseCompletionMessage(message, { transport, receivedAt: (context.clock ?? (() => new Date()))() }) };
  } catch (error) {
    if (!(error instanceof CompletionRejectedError)) throw error;
    rejected(error, transport, context, where);
    return { ok: false, error };
  }
}

export function rejected(error: CompletionRejectedError, transport: CompletionTransport, context: CompletionSourceContext, where: Readonly<Record<string, unknown>> = {}): void {
  context.metrics?.completionsRejected.inc({ source: transport, reason: error.reason });
  context.logger.warn({ [LogKeys.source]: transport, [LogKeys.reason]: error.reason, ...where }, `completion rejected: ${error.message}`);
}
