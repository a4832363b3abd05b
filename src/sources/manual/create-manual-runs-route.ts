/**
 * "Run now": `POST /api/v1/run-configurations/{namespace}/{name}/runs`, bearer-token protected.
 * The request becomes a manual event for that run configuration and is dispatched like any other
 * (parameter overrides are applied by the dispatcher: an undeclared name is a 422), through the
 * intake: stored first, so a request taken during an outage is not lost. The answer: 201 with the
 * run created, 200 with the run a retried request (same Idempotency-Key) already created, 202 when
 * it is stored and its run follows, a dead letter's 4xx for a permanent failure. Authentication comes
 * first, so an unauthenticated caller cannot probe which run configurations exist.
 */
import express, { type Request } from 'express';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import { NotFoundError, UnsupportedMediaTypeError } from '../../errors.ts';
import { intakeResponse } from '../../server/intake-response.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { manualEvent, MANUAL_SOURCE, MANUAL_TYPE } from './manual-event.ts';
import { parseManualRequest } from './parse-manual-request.ts';
import { bearerTokenCheck } from './bearer-token-check.ts';

export const MANUAL_RUNS_PATH = '/api/v1/run-configurations/:namespace/:name/runs';

export interface ManualRunsOptions {
  readonly token: string;
  /** Keys (`namespace/name`) of the configured run configurations. */
  readonly runConfigurations: readonly string[];
  readonly accept: AcceptEvent;
  readonly readiness: Readiness;
  readonly clock?: () => Date;
  readonly bodyLimitBytes?: number;
}

export function manualRunsRoute(options: ManualRunsOptions): Route {
  const known = new Set(options.runConfigurations);
  const clock = options.clock ?? (() => new Date());
  const checkToken = bearerTokenCheck(options.token);
  const parseJson = express.json({ limit: options.bodyLimitBytes ?? 64 * 1024, type: () => true });

  /** The JSON body, `undefined` when there is none; any other content type is a 415. */
  const readBody = (req: Request): Promise<unknown> => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.is('application/json')) return Promise.reject(new UnsupportedMediaTypeError(req.headers['content-type']));
    if (!hasBody) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      parseJson(req, req.res!, (error?: unknown) => (error ? reject(error) : resolve(req.body)));
    });
  };

  return {
    method: 'POST',
    path: MANUAL_RUNS_PATH,
    source: MANUAL_SOURCE,
    async handle(req, delivery) {
      checkToken(req.headers.authorization);
      requireReady(options.readiness);
      const body = await readBody(req);
      const runConfiguration = `${String(req.params['namespace'])}/${String(req.params['name'])}`;
      delivery.eventType = MANUAL_TYPE;
      if (!known.has(runConfiguration)) throw new NotFoundError(`no run configuration ${runConfiguration}`);
      const request = parseManualRequest(body, req.headers['idempotency-key']);
      const event = manualEvent({ runConfiguration, params: request.params, idempotencyKey: request.idempotencyKey, receivedAt: clock() });
      delivery.eventId = event.id;
      const { status, body: answer } = intakeResponse(await options.accept(event), event);
      const run = answer.runs.find((r) => r.runConfiguration === runConfiguration)?.run;
      delivery.reason = answer.message;
      delivery.runConfigurations = [runConfiguration];
      return { status: status === 200 && run?.created ? 201 : status, json: run ? { ...answer, run } : answer };
    },
  };
}
