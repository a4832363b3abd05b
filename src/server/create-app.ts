import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AnswerMetrics } from '../observability/count-answer.ts';
import type { RejectionMetrics } from '../observability/count-rejections.ts';
import { mountRoutes } from './mount-routes.ts';
import type { Readiness } from './require-ready.ts';
import type { Route } from './route.ts';

export interface AppOptions {
  /** The routes that receive events or answer about them: webhooks, run-now, completions, /status. */
  readonly routes?: readonly Route[] | undefined;
  readonly readiness: Readiness;
  readonly metricsRegistry?: Registry | undefined;
  /** Where refused deliveries are counted. */
  readonly metrics?: (RejectionMetrics & AnswerMetrics) | undefined;
  readonly logger: Logger;
}

/**
 * One listener's HTTP front: the given routes plus /healthz, /readyz and, given a registry,
 * /metrics. The daemon makes two (docs/security.md): the public one with the webhook routes and no
 * registry, the internal one with the rest. Every answer is JSON (the metrics text aside) and every
 * error goes through `errorResponse`.
 */
export function createApp(options: AppOptions): RequestListener {
  return mountRoutes([...(options.routes ?? []), ...serviceRoutes(options.readiness, options.metricsRegistry)], options);
}

/** Liveness, readiness and (with a registry) the Prometheus metrics. */
export function serviceRoutes(readiness: Readiness, registry: Registry | undefined): Route[] {
  const routes: Route[] = [
    { method: 'GET', path: '/healthz', handle: async () => ({ status: 200, json: { ok: true } }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: async () => {
        const { ready, reasons } = readiness();
        return { status: ready ? 200 : 503, json: ready ? { ready } : { ready, reasons } };
      },
    },
  ];
  if (registry) {
    routes.push({ method: 'GET', path: '/metrics', handle: async () => ({ status: 200, text: await registry.metrics(), contentType: registry.contentType }) });
  }
  return routes;
}
