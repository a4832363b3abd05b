/**
 * The route of one forge's webhook, the same for every forge: a delivery is named (its id and type,
 * before anything is checked), refused while runbridge is not ready, its headers, the presence of
 * its credentials (signature or token) and its content type checked, then — holding a place in the
 * pre-authentication gate (pre-auth-gate.ts: 503 when too many requests or bytes are not
 * authenticated yet) — its raw body read with a size cap and an idle timeout, authenticated against the configured secrets, and
 * only then parsed, turned into an event by the forge's source, checked against the scope of the
 * secret that signed it (secret-scopes.ts), and handed to the intake, which stores it before
 * anything else and answers with its state (see intakeResponse: 200 with the runs, 202 stored with
 * its runs to follow, 4xx a dead letter); every refusal is a RunbridgeError answered by
 * mountRoutes, 503 among them when the intake cannot store the event.
 * Fails closed: without a secret it refuses to be created, unless the insecure opt-out is set.
 */
import type { Logger } from 'pino';
import type { AcceptEvent } from '../../intake/open-intake.ts';
import { ConfigError, MalformedEventError, UnsupportedMediaTypeError } from '../../errors.ts';
import { LogKeys } from '../../observability/log-keys.ts';
import { literalPath } from '../../server/literal-path.ts';
import { requireReady, type Readiness } from '../../server/require-ready.ts';
import type { Route } from '../../server/route.ts';
import { acceptEvents } from './accept-events.ts';
import { deliveryFormat } from './delivery-format.ts';
import { parsePayload } from './parse-payload.ts';
import { rawBodyReader } from '../../server/read-raw-body.ts';
import type { WebhookSource } from './webhook-source.ts';
import { declaredBodyBytes, type PreAuthGate } from '../../server/pre-auth-gate.ts';
import { requireSecretScope, type WebhookSecrets } from './secret-scopes.ts';

/** A forge's config section with its secrets loaded. */
export interface WebhookSettings {
  readonly path: string;
  /** The source's factory was given `secrets.values`; here, which repositories each one covers. */
  readonly secrets: WebhookSecrets;
  /** Local experiments only: accept deliveries without authenticating them. */
  readonly insecureSkipSignatureVerification: boolean;
}

export interface WebhookRouteOptions {
  readonly bodyLimitBytes: number;
  /** A body that stalls this long is abandoned and its connection closed. */
  readonly bodyIdleTimeoutMs: number;
  /** Shared by every route of the public listener: what senders not yet authenticated may hold. */
  readonly gate: PreAuthGate;
  /** The intake's door: stores the event, then processes it (waiting a bounded time). */
  readonly accept: AcceptEvent;
  /** Deliveries are refused (503) while runbridge is not ready. */
  readonly readiness: Readiness;
  readonly logger: Logger;
  readonly clock?: (() => Date) | undefined;
}

export function webhookRoute(source: WebhookSource, settings: WebhookSettings, options: WebhookRouteOptions): Route {
  const { name } = source;
  const { accept, readiness, logger, clock = () => new Date() } = options;
  const insecure = settings.insecureSkipSignatureVerification;
  if (settings.secrets.values.length === 0 && !insecure) {
    throw new ConfigError([
      {
        path: `${name}.secrets`,
        message: `no webhook secret configured: refusing to accept unsigned ${name} deliveries (set ${name}.insecureSkipSignatureVerification: true for local experiments only)`,
      },
    ]);
  }
  const insecureWarning = `${name}.insecureSkipSignatureVerification is set: this delivery was accepted WITHOUT signature verification; anyone who can reach this endpoint can start runs`;
  if (insecure) logger.warn({ [LogKeys.source]: name }, insecureWarning.replace('this delivery was', 'deliveries are'));
  const readBody = rawBodyReader(options.bodyLimitBytes, { idleTimeoutMs: options.bodyIdleTimeoutMs });

  return {
    method: 'POST',
    path: literalPath(settings.path),
    source: name,
    async handle(req, delivery) {
      const { headers } = req;
      const named = source.identify(headers);
      delivery.eventId = named.eventId;
      delivery.eventType = named.eventType;
      requireReady(readiness);
      source.checkHeaders(headers);
      if (!insecure) source.checkCredentialHeaders(headers);
      const format = deliveryFormat(headers['content-type']);
      if (!source.formats.includes(format)) throw new UnsupportedMediaTypeError(headers['content-type']);
      const leave = options.gate.enter(declaredBodyBytes(headers, options.bodyLimitBytes), req.socket.remoteAddress);
      let body: Buffer;
      let matchedSecrets: ReadonlySet<number> | undefined;
      try {
        body = await readBody(req);
        matchedSecrets = insecure ? undefined : await source.authenticate(headers, body);
      } finally {
        leave();
      }
      if (insecure) logger.warn({ [LogKeys.eventId]: delivery.eventId, [LogKeys.source]: name }, insecureWarning);
      const payload = parsePayload(body.toString('utf8'), format);
      const key = source.deliveryKey(headers, payload);
      if (key === undefined) throw new MalformedEventError(`${name} delivery carries no delivery id`);
      const received = source.toEvents(headers, payload, key, clock());
      if ('reply' in received) {
        delivery.reason = received.reason;
        return { status: 200, json: received.reply };
      }
      delivery.eventId = received.length === 1 ? received[0].id : key;
      if (matchedSecrets !== undefined) for (const event of received) requireSecretScope(settings.secrets, matchedSecrets, event.git?.repository ?? '');
      const { status, body: answer } = await acceptEvents(accept, key, received, body.length);
      delivery.eventType = received[0].type;
      delivery.reason = answer.message;
      delivery.runConfigurations = answer.runs.map((r) => r.runConfiguration);
      return { status, json: answer };
    },
  };
}
