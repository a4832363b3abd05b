/**
 * The HTTP completion endpoint (`completions.http.path`, `/events` by default) for senders without
 * NATS: one CloudEvent per POST, structured or binary mode, or KFP-Operator's bare format as JSON.
 * The answer comes after the event was handled: the handler's status and outcome (200 when handled),
 * 400 malformed, 413 too large, 415 content type, 503 when handling failed or runbridge is not
 * ready, so the sender delivers it again.
 */
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import { RunbridgeError } from '../../errors.ts';
import { deliveryContext } from '../../server/delivery-context.ts';
import { logDeliveries } from '../../server/log-deliveries.ts';
import { methodNotAllowed } from '../../server/method-not-allowed.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import { CompletionContentTypeError, checkCompletionContentType } from './completion-content-type.ts';
import { runHandler, type HandleCompletionEvent } from './handle-completion-event.ts';
import { readCompletion, type CompletionSourceContext } from './read-completion.ts';
import { RUN_COMPLETION_TYPE } from './run-completion-type.ts';

export interface CompletionRouteOptions extends CompletionSourceContext {
  readonly path: string;
  /** Same limit as the webhooks (`server.bodyLimitBytes`). */
  readonly bodyLimitBytes: number;
  readonly handle: HandleCompletionEvent;
  readonly readiness: Readiness;
}

const SOURCE = 'http';

export function completionRoute(options: CompletionRouteOptions): (app: Express) => void {
  const { logger, metrics } = options;

  const identify: RequestHandler = (req, res, next) => {
    const context = deliveryContext(res);
    const id = req.headers['ce-id'];
    if (context && typeof id === 'string' && id.length <= 200) context.eventId = id;
    if (context) context.eventType = RUN_COMPLETION_TYPE;
    next();
  };

  const checkContentType: RequestHandler = (req, _res, next) => {
    try {
      checkCompletionContentType(req.headers);
    } catch (error) {
      if (error instanceof CompletionContentTypeError) metrics?.completionsRejected.inc({ source: SOURCE, reason: 'content_type' });
      throw error;
    }
    next();
  };

  const readBody = express.raw({ type: () => true, limit: options.bodyLimitBytes, inflate: false });

  const handle = async (req: Request, res: Response): Promise<void> => {
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
    const read = readCompletion({ headers, body }, SOURCE, options);
    if (!read.ok) throw read.error;
    const { event } = read;
    const context = deliveryContext(res);
    if (context) context.eventId = event.id;
    const result = await runHandler(options.handle, event);
    // Handled or failed, it was dispatched: not a rejection (see countRejections).
    if (context) context.runConfigurations = [];
    if (!result.handled) {
      if (context && result.error !== undefined) context.error = result.error;
      throw new RunbridgeError('RB_COMPLETION_FAILED', 503, `completion ${event.id} was not handled (${result.reason}): deliver it again`);
    }
    if (context) context.reason = `handled with status ${result.verdict.status}`;
    res.status(result.verdict.status).json({ eventId: event.id, outcome: result.verdict.body ?? null });
  };

  return (app) => {
    app
      .route(options.path.replace(/[{}()[\]+?!:*\\]/g, '\\$&'))
      .post(logDeliveries(logger, SOURCE), identify, requireReady(options.readiness), checkContentType, readBody, handle)
      .all(methodNotAllowed(['POST']));
  };
}
