/**
 * "Run now": `POST /api/v1/run-configurations/{namespace}/{name}/runs`, bearer-token protected.
 * The request becomes a manual event for that run configuration and is dispatched like any other
 * (parameter overrides are applied by the dispatcher: an undeclared name is a 422), through the
 * intake: stored first, so a request taken during an outage is not lost. The answer: 201 with the
 * run created, 200 with the run a retried request (same Idempotency-Key) already created, 202 when
 * it is stored and its run follows, a dead letter's 4xx for a permanent failure. Authentication comes
 * first, so an unauthenticated caller cannot probe which run configurations exist; failed attempts
 * are limited per client address. A run configuration must opt in, and lets callers override only
 * the parameters it lists (manual-policy.ts).
 */
import express, { type Request } from 'express';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import { NotFoundError, UnsupportedMediaTypeError } from '../../errors.ts';
import { intakeResponse } from '../../server/intake-response.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { manualEvent, MANUAL_SOURCE, MANUAL_TYPE } from './manual-event.ts';
import { parseManualRequest } from './parse-manual-request.ts';
import type { BearerTokenCheck } from './bearer-token-check.ts';
import { authorizeManualRun, type ManualPolicy } from './manual-policy.ts';

export const MANUAL_RUNS_PATH = '/api/v1/run-configurations/:namespace/:name/runs';

export interface ManualRunsOptions {
  /** The API token check, with its failed-attempts limit. */
  readonly authenticate: BearerTokenCheck;
  /** Every configured run configuration by key (`namespace/name`), with what manual runs may do. */
  readonly runConfigurations: ReadonlyMap<string, ManualPolicy>;
  /** The intake's door: stores the event, then processes it (waiting a bounded time). */
  readonly accept: AcceptEvent;
  readonly readiness: Readiness;
  readonly clock?: () => Date;
  readonly bodyLimitBytes?: number;
}

export function manualRunsRoute(options: ManualRunsOptions): Route {
  const known = options.runConfigurations;
  const clock = options.clock ?? (() => new Date());
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
      options.authenticate(req.headers.authorization, req.socket.remoteAddress);
      requireReady(options.readiness);
      const body = await readBody(req);
      const runConfiguration = `${String(req.params['namespace'])}/${String(req.params['name'])}`;
      delivery.eventType = MANUAL_TYPE;
      const policy = known.get(runConfiguration);
      if (!policy) throw new NotFoundError(`no run configuration ${runConfiguration}`);
      const request = parseManualRequest(body, req.headers['idempotency-key']);
      authorizeManualRun(runConfiguration, policy, request.params);
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
