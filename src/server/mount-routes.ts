/**
 * Turns a list of routes into a request listener: express's router (paths case-insensitive, a
 * trailing slash allowed, HEAD served by GET), 405 with `Allow` for a method a path does not serve,
 * 404 elsewhere. Every answer is written here, by `answer`: a handler's own, or its error through
 * `errorResponse`. A delivery route's request gets its log line, its answer counted by status and,
 * when it was refused before being dispatched, its rejection count here too.
 */
import type { RequestListener } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { MethodNotAllowedError, NotFoundError } from '../errors.ts';
import { countAnswer, type AnswerMetrics } from '../observability/count-answer.ts';
import { countRejection, type RejectionMetrics } from '../observability/count-rejections.ts';
import { newDelivery, type Delivery } from './delivery.ts';
import { errorResponse } from './error-response.ts';
import { logDelivery } from './log-delivery.ts';
import type { Answer, Route } from './route.ts';

export interface MountOptions {
  readonly logger: Logger;
  /** Where deliveries' answers and refusals are counted; without it they are only logged. */
  readonly metrics?: (RejectionMetrics & AnswerMetrics) | undefined;
  readonly now?: () => number;
}

export function mountRoutes(routes: readonly Route[], options: MountOptions): RequestListener {
  const { logger, metrics, now = () => performance.now() } = options;
  const app = express();
  app.disable('x-powered-by');
  // Answers are never cached nor fetched conditionally: no ETag (a hash of every body) to compute.
  app.disable('etag');

  const serve = (route: Route) => async (req: Request, res: Response): Promise<void> => {
    const delivery = newDelivery(now());
    if (route.source !== undefined) logDelivery(res, delivery, route.source, logger, now);
    let result: Answer;
    try {
      result = await route.handle(req, delivery);
    } catch (error) {
      result = errorAnswer(error, delivery, route.source === undefined ? { logger, req } : undefined);
    }
    answer(res, result);
    if (route.source !== undefined && metrics) {
      countAnswer(metrics, route.source, result.status);
      if (result.status >= 400 && delivery.runConfigurations === undefined) countRejection(metrics, route.source, result.status);
    }
  };

  for (const [path, onPath] of byPath(routes)) {
    const route = app.route(path);
    for (const r of onPath) {
      if (r.method === 'GET') route.get(serve(r));
      else route.post(serve(r));
    }
    const allowed = onPath.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]));
    route.all((req, res) => answer(res, errorAnswer(new MethodNotAllowedError(req.method, allowed), newDelivery(now()), undefined)));
  }
  app.use((req, res) => answer(res, errorAnswer(new NotFoundError(`no route for ${req.method} ${req.path.slice(0, 200)}`), newDelivery(now()), undefined)));
  // Errors of express itself (a path parameter that is not valid percent-encoding, …).
  const expressErrors: ErrorRequestHandler = (error, req, res, next) => {
    if (res.headersSent) return next(error);
    answer(res, errorAnswer(error, newDelivery(now()), { logger, req }));
  };
  app.use(expressErrors);
  return app;
}

/** Routes grouped by path, in the order first declared. */
function byPath(routes: readonly Route[]): Map<string, Route[]> {
  const groups = new Map<string, Route[]>();
  for (const route of routes) {
    const group = groups.get(route.path);
    if (group) group.push(route);
    else groups.set(route.path, [route]);
  }
  return groups;
}

/**
 * The answer to a thrown error, with the delivery's `eventId` when known. An unexpected error (500)
 * is kept on the delivery for its log line, or logged here for a route that is not a delivery's;
 * the caller only learns its code.
 */
function errorAnswer(error: unknown, delivery: Delivery, unlogged: { logger: Logger; req: Request } | undefined): Answer {
  const { status, body, headers } = errorResponse(error, delivery.eventId);
  delivery.reason = body.error.message;
  if (status === 500) {
    delivery.error = error;
    unlogged?.logger.error({ err: error, method: unlogged.req.method, path: unlogged.req.path }, 'request failed');
  }
  return headers === undefined ? { status, json: body } : { status, json: body, headers };
}

/** Writes an answer with express's own `json` / `send`, so every answer has the same headers. */
function answer(res: Response, result: Answer): void {
  if ('text' in result) {
    res.status(result.status).type(result.contentType).send(result.text);
    return;
  }
  if (result.headers) res.set(result.headers);
  res.status(result.status).json(result.json);
}
