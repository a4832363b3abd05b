import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import { ConfigError, NotReadyError, SignatureError } from '../../errors.ts';
import { githubEvent } from '../../events/github-event.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import type { DeliveryContext } from '../../server/delivery-context.ts';
import { errorResponse } from '../../server/error-response.ts';
import { trackDelivery } from '../../server/log-deliveries.ts';
import { outcomeResponse } from '../../server/outcome-response.ts';
import type { Readiness } from '../../server/require-ready.ts';
import { sendJson } from '../../server/send-json.ts';
import { createSignatureVerifier } from './create-signature-verifier.ts';
import { deliveryFormat } from './delivery-format.ts';
import { deliveryHeaders, deliveryIdOf, isEventName } from './delivery-headers.ts';
import { parsePayload } from './parse-payload.ts';

export interface GithubWebhookOptions {
  /** Webhook secrets; a delivery signed with any of them is accepted (rotation). */
  readonly secrets: readonly string[];
  /** Local experiments only: accept deliveries without checking their signature. */
  readonly insecureSkipSignatureVerification: boolean;
  readonly bodyLimitBytes: number;
  readonly dispatch: Dispatch;
  /** Deliveries are refused (503) while runbridge is not ready. */
  readonly readiness: Readiness;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

/** Handles one POST to the webhook path, start to answer (express's request and response are node:http's too). */
export type GithubWebhook = (req: IncomingMessage, res: ServerResponse) => void;

const INSECURE_WARNING =
  'github.insecureSkipSignatureVerification is set: this delivery was accepted WITHOUT signature verification; anyone who can reach this endpoint can start runs';

/**
 * The GitHub source: turns a delivery into a RunbridgeEvent and calls `dispatch(event)`. In order:
 * the delivery is noted for the log line (its id and event type, before anything is checked),
 * refused while not ready, its headers and content type checked, the raw body read with a size
 * cap, its signature verified against the configured secrets, and only then parsed. Every error is
 * answered through `errorResponse`. Fails closed: without a secret, it refuses to be created
 * unless the insecure opt-out is set explicitly.
 */
export function createGithubWebhook(options: GithubWebhookOptions): GithubWebhook {
  const { insecureSkipSignatureVerification: insecure, dispatch, readiness, logger, clock = () => new Date() } = options;
  if (options.secrets.length === 0 && !insecure) {
    throw new ConfigError([
      {
        path: 'github.secrets',
        message:
          'no webhook secret configured: refusing to accept unsigned GitHub deliveries (set github.insecureSkipSignatureVerification: true for local experiments only)',
      },
    ]);
  }
  const verify = createSignatureVerifier(options.secrets);
  // express's raw body parser, called as it is: a size cap, its error types (413, 400, 415) for
  // errorResponse, and the rest of a refused request read off so the connection can carry the next.
  const rawBody = express.raw({ type: () => true, limit: options.bodyLimitBytes, inflate: false });
  const readBody = (req: IncomingMessage, res: ServerResponse): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const request = req as Request;
      rawBody(request, res as Response, (error?: unknown) => {
        if (error) reject(error);
        else resolve(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
      });
    });
  if (insecure) logger.warn({ [LogKeys.source]: 'github' }, INSECURE_WARNING.replace('this delivery was', 'deliveries are'));

  const handle = async (req: IncomingMessage, res: ServerResponse, context: DeliveryContext): Promise<void> => {
    const { ready, reasons } = readiness();
    if (!ready) throw new NotReadyError(reasons.length > 0 ? `runbridge is not ready: ${reasons.join('; ')}` : undefined);
    const { name, deliveryId, signature } = deliveryHeaders(req.headers);
    const format = deliveryFormat(req.headers['content-type']);
    const body = (await readBody(req, res)).toString('utf8');
    if (insecure) {
      logger.warn({ [LogKeys.eventId]: deliveryId, [LogKeys.source]: 'github' }, INSECURE_WARNING);
    } else if (signature === undefined) {
      throw new SignatureError('missing X-Hub-Signature-256 header');
    } else if (!(await verify(body, signature))) {
      throw new SignatureError('X-Hub-Signature-256 does not match the body with any configured secret');
    }
    const payload = parsePayload(body, format);
    if (name === 'ping') {
      context.reason = 'ping';
      sendJson(res, 200, { eventId: deliveryId, pong: true, zen: typeof payload['zen'] === 'string' ? payload['zen'] : '' });
      return;
    }
    const event = githubEvent({ name, deliveryId, payload, receivedAt: clock() });
    const outcome = await dispatch(event);
    const { status, body: answer } = outcomeResponse(outcome);
    context.eventType = event.type;
    context.reason = answer.message;
    context.runConfigurations = answer.runs.map((r) => r.runConfiguration);
    sendJson(res, status, answer);
  };

  return (req, res) => {
    const context = trackDelivery(res, logger, 'github');
    context.eventId = deliveryIdOf(req.headers);
    const name = req.headers['x-github-event'];
    if (typeof name === 'string' && isEventName(name)) context.eventType = `github.${name}`;
    handle(req, res, context).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { status, body } = errorResponse(error, context.eventId);
      context.reason = body.error.message;
      if (status === 500) context.error = error;
      sendJson(res, status, body);
    });
  };
}
