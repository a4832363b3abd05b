/**
 * What a completion source hands each event to (the chaining core's handleCompletion, adapted),
 * and the one rule every source applies to its answer: handled when it resolved with a status below
 * 500; a throw or a 5xx is a failure that a later delivery may cure (NATS nak, HTTP 503, a retry of
 * the status watch).
 */
import type { RunbridgeEvent } from '../../events/event.ts';

export interface CompletionVerdict {
  /** HTTP-style: 2xx handled; 4xx handled, and delivering it again will not change that; 5xx failed. */
  readonly status: number;
  /** What the HTTP endpoint answers (the handler's outcome). */
  readonly body?: unknown;
}

export type HandleCompletionEvent = (event: RunbridgeEvent) => Promise<CompletionVerdict>;

export type HandlingResult =
  | { readonly handled: true; readonly verdict: CompletionVerdict }
  | { readonly handled: false; readonly verdict?: CompletionVerdict; readonly error?: unknown; readonly reason: string };

export async function runHandler(handle: HandleCompletionEvent, event: RunbridgeEvent): Promise<HandlingResult> {
  let verdict: CompletionVerdict;
  try {
    verdict = await handle(event);
  } catch (error) {
    return { handled: false, error, reason: error instanceof Error ? error.message : String(error) };
  }
  if (verdict.status < 500) return { handled: true, verdict };
  return { handled: false, verdict, reason: `the handler answered ${verdict.status}` };
}
