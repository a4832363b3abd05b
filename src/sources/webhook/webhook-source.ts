/**
 * What runbridge knows about one forge's webhook deliveries, and nothing about HTTP: how to name a
 * delivery before trusting it, which headers it must carry, how it is authenticated, its key for
 * dedupe and how its payload becomes an event. `webhookRoute` does the rest, the same for every
 * forge (readiness, content type, body limit, signature before parsing, the answer). A forge is one
 * folder under src/sources/ with a `WebhookSourceFactory`, registered in `webhook-sources.ts`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RunbridgeEvent } from '../../events/event.ts';
import type { DeliveryFormat } from './delivery-format.ts';

export interface WebhookSource {
  /** The config section, the events' `source`, the log and metric label, `render --source NAME`. */
  readonly name: string;
  /** The body formats this forge sends; another Content-Type is a 415. */
  readonly formats: readonly DeliveryFormat[];
  /** Id and type as far as the headers tell, before anything is checked: for the log line and error answers. */
  identify(headers: IncomingHttpHeaders): { readonly eventId: string | undefined; readonly eventType: string | undefined };
  /** Throws MalformedEventError (400) when a header every delivery carries is missing or malformed; runs before the body is read. */
  checkHeaders(headers: IncomingHttpHeaders): void;
  /**
   * Throws SignatureError (401) when no header that could authenticate the delivery is present
   * (its signature, its token): such a delivery is refused before its body is read.
   */
  checkCredentialHeaders(headers: IncomingHttpHeaders): void;
  /**
   * Throws SignatureError (401) unless the raw body is signed (or the token matches) with one of
   * the configured secrets; returns the positions of those that match (every secret is tried), so
   * that the route can check they cover the payload's repository (secret-scopes.ts).
   */
  authenticate(headers: IncomingHttpHeaders, rawBody: Buffer): Promise<ReadonlySet<number>>;
  /** The key redeliveries of the same delivery share (the event id); `undefined` when the delivery carries none. */
  deliveryKey(headers: IncomingHttpHeaders, payload: Readonly<Record<string, unknown>>): string | undefined;
  /**
   * The events to dispatch, or a reply for a delivery that starts nothing (a ping). Throws
   * MalformedEventError (400). One delivery is one event, except where a forge packs several git
   * facts into one delivery (a Bitbucket push of several refs): one event each, the first keyed
   * `deliveryKey` when it is alone, each keyed `<deliveryKey>/<ref>` otherwise.
   */
  toEvents(headers: IncomingHttpHeaders, payload: Readonly<Record<string, unknown>>, deliveryKey: string, receivedAt: Date): WebhookEvents | WebhookReply;
}

/** The events of one delivery, at least one. */
export type WebhookEvents = readonly [RunbridgeEvent, ...RunbridgeEvent[]];

/** The answer (200) to a delivery that is not dispatched, and the reason its log line gives. */
export interface WebhookReply {
  readonly reply: Readonly<Record<string, unknown>>;
  readonly reason: string;
}

/** A forge's source with the secrets `authenticate` checks against (none for an offline replay). */
export type WebhookSourceFactory = (secrets: readonly string[]) => WebhookSource;
