/**
 * The one kind of HTTP handler runbridge has. A route is a value — method, path, handler — and
 * `mountRoutes` turns a list of them into a request listener, so that which routes a listener
 * serves is a list to read (and a second listener is a second list).
 */
import type { Request } from 'express';
import type { Delivery } from './delivery.ts';

/** What a handler answers: JSON (every answer but the metrics text), or text of a given type. */
export type Answer =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly status: number; readonly text: string; readonly contentType: string };

/**
 * Handles one request and returns its answer, or throws a RunbridgeError (answered through
 * `errorResponse`). `delivery` is this request's record, created for it: the handler fills in what
 * it learns (event id, type, outcome) for the answer, the log line and the rejection count.
 */
export type RouteHandler = (request: Request, delivery: Delivery) => Promise<Answer>;

export interface Route {
  readonly method: 'GET' | 'POST';
  /** An express path: `:name` segments are parameters; configured paths go through `literalPath`. */
  readonly path: string;
  /**
   * Set on routes that receive events (webhooks, run-now, completions): each request is then a
   * delivery of this source, logged in one line and counted when refused before it was dispatched.
   */
  readonly source?: string;
  readonly handle: RouteHandler;
}
