import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { Dispatch } from '../../dispatch/dispatch-outcome.ts';
import { ConfigError, SignatureError } from '../../errors.ts';
import { githubEvent } from '../../events/github-event.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import { deliveryContext } from '../../server/delivery-context.ts';
import { outcomeResponse } from '../../server/outcome-response.ts';
import { createSignatureVerifier } from './create-signature-verifier.ts';
import { deliveryFormat } from './delivery-format.ts';
import { deliveryHeaders, deliveryIdOf } from './delivery-headers.ts';
import { parsePayload } from './parse-payload.ts';

export interface GithubWebhookOptions {
  /** Webhook secrets; a delivery signed with any of them is accepted (rotation). */
  readonly secrets: readonly string[];
  /** Local experiments only: accept deliveries without checking their signature. */
  readonly insecureSkipSignatureVerification: boolean;
  readonly bodyLimitBytes: number;
  readonly dispatch: Dispatch;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export interface GithubWebhook {
  /** Notes the delivery id and event type for the answer and the log, before anything is checked. */
  readonly identify: RequestHandler;
  /** Validates, verifies and dispatches one delivery (POST). */
  readonly accept: readonly RequestHandler[];
}

const INSECURE_WARNING =
  'github.insecureSkipSignatureVerification is set: this delivery was accepted WITHOUT signature verification; anyone who can reach this endpoint can start runs';

/**
 * The GitHub source: turns a delivery into a RunbridgeEvent and calls `dispatch(event)`. The raw
 * body is read with a size cap, its signature verified against the configured secrets, and only
 * then parsed. Fails closed: without a secret, it refuses to be created unless the insecure opt-out
 * is set explicitly.
 */
export function createGithubWebhook(options: GithubWebhookOptions): GithubWebhook {
  const { insecureSkipSignatureVerification: insecure, dispatch, logger, clock = () => new Date() } = options;
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
  if (insecure) logger.warn({ [LogKeys.source]: 'github' }, INSECURE_WARNING.replace('this delivery was', 'deliveries are'));

  const identify: RequestHandler = (req, res, next) => {
    const context = deliveryContext(res);
    if (context) {
      context.eventId = deliveryIdOf(req.headers);
      const name = req.headers['x-github-event'];
      if (typeof name === 'string' && /^[a-z][a-z_]{0,63}$/.test(name)) context.eventType = `github.${name}`;
    }
    next();
  };

  const checkHeaders: RequestHandler = (req, _res, next) => {
    deliveryHeaders(req.headers);
    deliveryFormat(req.headers['content-type']);
    next();
  };

  const readBody = express.raw({ type: () => true, limit: options.bodyLimitBytes, inflate: false });

  const handle = async (req: Request, res: Response): Promise<void> => {
    const { name, deliveryId, signature } = deliveryHeaders(req.headers);
    const format = deliveryFormat(req.headers['content-type']);
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    if (insecure) {
      logger.warn({ [LogKeys.eventId]: deliveryId, [LogKeys.source]: 'github' }, INSECURE_WARNING);
    } else if (signature === undefined) {
      throw new SignatureError('missing X-Hub-Signature-256 header');
    } else if (!(await verify(body, signature))) {
      throw new SignatureError('X-Hub-Signature-256 does not match the body with any configured secret');
    }
    const payload = parsePayload(body, format);
    const context = deliveryContext(res);
    if (name === 'ping') {
      if (context) context.reason = 'ping';
      res.status(200).json({ eventId: deliveryId, pong: true, zen: typeof payload['zen'] === 'string' ? payload['zen'] : '' });
      return;
    }
    const event = githubEvent({ name, deliveryId, payload, receivedAt: clock() });
    const outcome = await dispatch(event);
    const { status, body: answer } = outcomeResponse(outcome);
    if (context) {
      context.eventType = event.type;
      context.reason = answer.message;
      context.runConfigurations = answer.runs.map((r) => r.runConfiguration);
    }
    res.status(status).json(answer);
  };

  return { identify, accept: [checkHeaders, readBody, handle] };
}
