/**
 * The intake's API, behind the API token (api.token), beside run now:
 *   GET  /api/v1/events/{id}        an accepted event's state: pending (why, next attempt), done, dead
 *   POST /api/v1/events/{id}/retry  take a dead letter back after a fix; answered like a webhook
 * Ids are the intake's (`<source>:<id>`, as a 202 or `runbridge status` shows them), URL-encoded.
 */
import { NotFoundError } from '../errors.ts';
import { intakeResponse } from '../server/intake-response.ts';
import type { Route } from '../server/route.ts';
import type { BearerTokenCheck } from '../sources/manual/bearer-token-check.ts';
import type { IntakeRecord } from './intake-record.ts';
import type { DaemonIntake } from './open-intake.ts';

export const EVENT_PATH = '/api/v1/events/:id';
export const RETRY_PATH = '/api/v1/events/:id/retry';

/** What the API shows of a record: its state and why, never the payload. */
export function describeRecord(record: IntakeRecord): Record<string, unknown> {
  const { event, ...rest } = record;
  return { ...rest, ...(event ? { eventType: event.type, source: event.source } : {}) };
}

export function intakeRoutes(options: { intake: DaemonIntake; authenticate: BearerTokenCheck }): Route[] {
  const { intake, authenticate } = options;
  return [
    {
      method: 'GET',
      path: EVENT_PATH,
      async handle(req) {
        authenticate(req.headers.authorization, req.socket.remoteAddress);
        const id = String(req.params['id']);
        const record = await intake.intake.get(id);
        if (!record) throw new NotFoundError(`no event ${JSON.stringify(id.slice(0, 200))} in the intake`);
        return { status: 200, json: describeRecord(record), headers: { 'cache-control': 'no-store' } };
      },
    },
    {
      method: 'POST',
      path: RETRY_PATH,
      async handle(req, delivery) {
        authenticate(req.headers.authorization, req.socket.remoteAddress);
        const id = String(req.params['id']);
        delivery.eventId = id;
        const retried = await intake.retry(id);
        if (retried.kind === 'dispatch') {
          const { status, body } = intakeResponse(retried.submitted, { id, type: retried.submitted.answer?.eventType ?? '' });
          return { status, json: body };
        }
        const { submitted } = retried;
        const status = submitted.state === 'done' ? 200 : submitted.state === 'pending' ? 202 : (submitted.record.status ?? 422);
        return { status, json: { eventId: id, state: submitted.state, outcome: submitted.answer ?? null } };
      },
    },
  ];
}
