/**
 * The HTTP completion endpoint (`completions.http.path`, `/events` by default) for senders without
 * NATS: one CloudEvent per POST, structured or binary mode, or KFP-Operator's bare format as JSON.
 * The answer comes after the event was handled: the handler's status and outcome (200 when handled),
 * 400 malformed, 413 too large, 415 content type, 503 when handling failed or runbridge is not
 * ready, so the sender delivers it again.
 * Authenticated first (completion-credentials.ts): a bearer token before the body is read, or a
 * signature's presence before and its value right after reading the raw body, before parsing;
 * 401 otherwise, and nothing is stored. Until then the request holds a place in the listener's
 * pre-authentication gate (503 when it is full) and its body may not stall.
 */
import { RunbridgeError } from '../../errors.ts';
import { literalPath } from '../../server/literal-path.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { rawBodyReader } from '../../server/read-raw-body.ts';
import { declaredBodyBytes, type PreAuthGate } from '../../server/pre-auth-gate.ts';
import type { CompletionCredentials } from './completion-credentials.ts';
import { CompletionContentTypeError, checkCompletionContentType } from './completion-content-type.ts';
import { runHandler, type HandleCompletionEvent } from './handle-completion-event.ts';
import { readCompletion, type CompletionSourceContext } from './read-completion.ts';
import { RUN_COMPLETION_TYPE } from './run-completion-type.ts';

export interface CompletionRouteOptions extends CompletionSourceContext {
  readonly path: string;
  /** Same limit as the webhooks (`server.bodyLimitBytes`). */
  readonly bodyLimitBytes: number;
  readonly bodyIdleTimeoutMs: number;
  /** What requests not yet authenticated may hold on the internal listener. */
  readonly gate: PreAuthGate;
  readonly credentials: CompletionCredentials;
  readonly handle: HandleCompletionEvent;
  readonly readiness: Readiness;
}

const SOURCE = 'http';

export function completionRoute(options: CompletionRouteOptions): Route {
  const { metrics } = options;
  const { credentials, gate } = options;
  const readBody = rawBodyReader(options.bodyLimitBytes, { idleTimeoutMs: options.bodyIdleTimeoutMs });
  return {
    method: 'POST',
    path: literalPath(options.path),
    source: SOURCE,
    async handle(req, delivery) {
      const id = req.headers['ce-id'];
      if (typeof id === 'string' && id.length <= 200) delivery.eventId = id;
      delivery.eventType = RUN_COMPLETION_TYPE;
      requireReady(options.readiness);
      try {
        checkCompletionContentType(req.headers);
      } catch (error) {
        if (error instanceof CompletionContentTypeError) metrics?.completionsRejected.inc({ source: SOURCE, reason: 'content_type' });
        throw error;
      }
      const client = req.socket.remoteAddress;
      const proof = credentials.beforeBody(req.headers, client);
      const leave = gate.enter(declaredBodyBytes(req.headers, options.bodyLimitBytes), client);
      let raw: Buffer;
      try {
        raw = await readBody(req);
        if (proof === 'signed') credentials.checkSignature(req.headers, raw, client);
      } finally {
        leave();
      }
      const body = raw.toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
      const read = readCompletion({ headers, body }, SOURCE, options);
      if (!read.ok) throw read.error;
      const { event } = read;
      delivery.eventId = event.id;
      const result = await runHandler(options.handle, event);
      // Handled or failed, it was dispatched: not a rejection.
      delivery.runConfigurations = [];
      if (!result.handled) {
        if (result.error !== undefined) delivery.error = result.error;
        throw new RunbridgeError('RB_COMPLETION_FAILED', 503, `completion ${event.id} was not handled (${result.reason}): deliver it again`);
      }
      delivery.reason = `handled with status ${result.verdict.status}`;
      return { status: result.verdict.status, json: { eventId: event.id, outcome: result.verdict.body ?? null } };
    },
  };
}
