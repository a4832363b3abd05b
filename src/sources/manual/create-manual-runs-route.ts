/**
 * "Run now": `POST /api/v1/run-configurations/{namespace}/{name}/runs`, bearer-token protected.
 * The request becomes a manual event for that run configuration and is dispatched like any other
 * (parameter overrides are applied by the dispatcher: an undeclared name is a 422). The answer is
 * the dispatch outcome: 201 with the run created, 200 with the run a retried request (same
 * Idempotency-Key) already created, and the outcome's status for failures. Authentication comes
 * first, so an unauthenticated caller cannot probe which run configurations exist; failed attempts
 * are limited per client address. A run configuration must opt in, and lets callers override only
 * the parameters it lists (manual-policy.ts).
 */
import express, { type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import { NotFoundError, UnsupportedMediaTypeError } from '../../errors.ts';
import { deliveryContext } from '../../server/delivery-context.ts';
import { logDeliveries } from '../../server/log-deliveries.ts';
import { methodNotAllowed } from '../../server/method-not-allowed.ts';
import { outcomeResponse } from '../../server/outcome-response.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import { manualEvent, MANUAL_SOURCE, MANUAL_TYPE } from './manual-event.ts';
import { parseManualRequest } from './parse-manual-request.ts';
import { requireBearerToken } from './require-bearer-token.ts';
import type { FailedAttempts } from './failed-attempts.ts';
import { authorizeManualRun, type ManualPolicy } from './manual-policy.ts';

export const MANUAL_RUNS_PATH = '/api/v1/run-configurations/:namespace/:name/runs';

export interface ManualRunsOptions {
  readonly token: string;
  /** Every configured run configuration by key (`namespace/name`), with what manual runs may do. */
  readonly runConfigurations: ReadonlyMap<string, ManualPolicy>;
  /** Failed authentications per client address; unlimited without it. */
  readonly failedAttempts?: FailedAttempts;
  readonly dispatch: Dispatch;
  readonly readiness: Readiness;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly bodyLimitBytes?: number;
}

export function manualRunsRoutes(options: ManualRunsOptions): (app: Express) => void {
  const known = options.runConfigurations;
  const clock = options.clock ?? (() => new Date());
  const readJson = express.json({ limit: options.bodyLimitBytes ?? 64 * 1024, type: () => true });

  const checkBody = (req: Request, _res: Response, next: (error?: unknown) => void): void => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) return next(new UnsupportedMediaTypeError(req.headers['content-type']));
    if (!hasBody) return next();
    readJson(req, _res, next);
  };

  const handle = async (req: Request, res: Response): Promise<void> => {
    const runConfiguration = `${String(req.params['namespace'])}/${String(req.params['name'])}`;
    const context = deliveryContext(res);
    if (context) context.eventType = MANUAL_TYPE;
    const policy = known.get(runConfiguration);
    if (!policy) throw new NotFoundError(`no run configuration ${runConfiguration}`);
    const request = parseManualRequest(req.body, req.headers['idempotency-key']);
    authorizeManualRun(runConfiguration, policy, request.params);
    const event = manualEvent({ runConfiguration, params: request.params, idempotencyKey: request.idempotencyKey, receivedAt: clock() });
    if (context) context.eventId = event.id;
    const outcome = await options.dispatch(event);
    const { status, body } = outcomeResponse(outcome);
    const run = body.runs.find((r) => r.runConfiguration === runConfiguration)?.run;
    if (context) {
      context.reason = body.message;
      context.runConfigurations = [runConfiguration];
    }
    res.status(status === 200 && run?.created ? 201 : status).json(run ? { ...body, run } : body);
  };

  return (app) => {
    app
      .route(MANUAL_RUNS_PATH)
      .post(logDeliveries(options.logger, MANUAL_SOURCE), requireBearerToken(options.token, options.failedAttempts), requireReady(options.readiness), checkBody, handle)
      .all(methodNotAllowed(['POST']));
  };
}
