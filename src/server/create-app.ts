import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Dispatch } from '../dispatch/dispatch-outcome.ts';
import { NotFoundError } from '../errors.ts';
import { createGithubWebhook } from '../sources/github/create-github-webhook.ts';
import { errorHandler } from './error-handler.ts';
import { methodNotAllowed } from './method-not-allowed.ts';
import type { Readiness } from './require-ready.ts';

export interface GithubRouteOptions {
  readonly path: string;
  readonly secrets: readonly string[];
  readonly insecureSkipSignatureVerification: boolean;
  readonly bodyLimitBytes: number;
}

export interface AppOptions {
  /** Serve GitHub webhooks at `path`. Throws when no secret is given without the insecure opt-out. */
  readonly github?: GithubRouteOptions | undefined;
  readonly dispatch: Dispatch;
  readonly readiness: Readiness;
  readonly metricsRegistry?: Registry | undefined;
  readonly logger: Logger;
  /** More routes (manual runs, completions over HTTP), added before the 404 fallback. */
  readonly extraRoutes?: ((app: Express) => void) | undefined;
}

/**
 * The HTTP front: webhook routes, /healthz, /readyz, /metrics. Every answer is JSON (the metrics
 * text aside) and every error goes through `errorResponse`.
 *
 * A POST to the GitHub path as GitHub sends it (the path itself, with or without a query) goes
 * straight to the webhook handler, not through express's router: that is every delivery, and the
 * router and its request and response decorations are a noticeable part of a delivery's cost. The
 * same handler is express's route for that path, so a request the router would also take there
 * (another case, a trailing slash) gets the same answer.
 */
export function createApp(options: AppOptions): RequestListener {
  const { logger, readiness } = options;
  const app = express();
  app.disable('x-powered-by');
  // Answers are never cached nor fetched conditionally: no ETag (a hash of every body) to compute.
  app.disable('etag');

  const github = options.github ? createGithubWebhook({ ...options.github, dispatch: options.dispatch, readiness, logger }) : undefined;
  if (options.github && github) {
    app
      .route(literalPath(options.github.path))
      .post((req, res) => github(req, res))
      .all(methodNotAllowed(['POST']));
  }

  app
    .route('/healthz')
    .get((_req, res) => {
      res.json({ ok: true });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));

  app
    .route('/readyz')
    .get((_req, res) => {
      const { ready, reasons } = readiness();
      res.status(ready ? 200 : 503).json(ready ? { ready } : { ready, reasons });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));

  const registry = options.metricsRegistry;
  if (registry) {
    app
      .route('/metrics')
      .get(async (_req, res) => {
        const text = await registry.metrics();
        res.type(registry.contentType).send(text);
      })
      .all(methodNotAllowed(['GET', 'HEAD']));
  }

  options.extraRoutes?.(app);

  app.use((req, _res, next) => {
    next(new NotFoundError(`no route for ${req.method} ${req.path.slice(0, 200)}`));
  });
  app.use(errorHandler(logger));

  if (!options.github || !github) return app;
  const path = options.github.path;
  const withQuery = `${path}?`;
  return (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'POST' && (url === path || url.startsWith(withQuery))) github(req, res);
    else app(req, res);
  };
}

/** A configured path is matched literally: characters with a meaning to express routes are escaped. */
function literalPath(path: string): string {
  return path.replace(/[{}()[\]+?!:*\\]/g, '\\$&');
}
