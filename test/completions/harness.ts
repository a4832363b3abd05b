/** Shared pieces of the completion tests: a logger that keeps its lines, a recording handler, waiting. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { createMetrics, type Metrics } from '../../src/observability/metrics.ts';
import type { CompletionVerdict, HandleCompletionEvent } from '../../src/sources/completions/handle-completion-event.ts';
import { gateOf, type PreAuthGate } from '../../src/server/pre-auth-gate.ts';
import { serverLimitsSchema } from '../../src/config/server-schema.ts';
import { completionCredentials, type CompletionCredentials } from '../../src/sources/completions/completion-credentials.ts';
import { failedAttempts } from '../../src/sources/manual/failed-attempts.ts';

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: Record<string, unknown>[];
}

export function captureLogger(): CapturedLogger {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

export function testMetrics(): Metrics {
  return createMetrics({ defaultMetrics: false });
}

export async function rejectedCount(metrics: Metrics, reason?: string): Promise<number> {
  const { values } = await metrics.completionsRejected.get();
  return values.filter((v) => reason === undefined || v.labels.reason === reason).reduce((sum, v) => sum + v.value, 0);
}

/**
 * A handler that records every event it is given. `fail(id, times)` makes the next `times` calls
 * for that id fail (alternately by throwing and by answering 503).
 */
export interface RecordingHandler {
  readonly handle: HandleCompletionEvent;
  readonly events: RunbridgeEvent[];
  /** Calls per event id. */
  count(id: string): number;
  fail(id: string, times: number): void;
}

export function recordingHandler(answer: (event: RunbridgeEvent) => CompletionVerdict = () => ({ status: 200, body: { ok: true } })): RecordingHandler {
  const events: RunbridgeEvent[] = [];
  const failures = new Map<string, number>();
  return {
    events,
    count: (id) => events.filter((e) => e.id === id).length,
    fail: (id, times) => failures.set(id, times),
    handle: async (event) => {
      events.push(event);
      const left = failures.get(event.id) ?? 0;
      if (left > 0) {
        failures.set(event.id, left - 1);
        if (left % 2 === 0) throw new Error(`handler failure for ${event.id}`);
        return { status: 503, body: { error: 'try again' } };
      }
      return answer(event);
    },
  };
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The credentials every HTTP completion test sends unless it tests their absence. */
export const COMPLETION_TOKEN = 'completion-token-0123456789abcdef0123456789';
export const COMPLETION_HMAC_SECRET = 'completion-hmac-0123456789abcdef0123456789';

/** The route's authentication and pre-authentication bounds as a daemon would set them for these credentials. */
export function completionAuth(): { bodyIdleTimeoutMs: number; gate: PreAuthGate; credentials: CompletionCredentials } {
  return {
    bodyIdleTimeoutMs: 5000,
    gate: gateOf(serverLimitsSchema.parse({})),
    credentials: completionCredentials({ tokens: [COMPLETION_TOKEN], hmacSecrets: [COMPLETION_HMAC_SECRET], insecure: false, attempts: failedAttempts({ maxFailures: 10, windowMs: 60_000 }) }),
  };
}
