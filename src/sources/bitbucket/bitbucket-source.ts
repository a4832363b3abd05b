/**
 * What both Bitbucket editions share: the event in `X-Event-Key` (`repo:push`, `pr:opened`, …),
 * the signature in `X-Hub-Signature`, one id per request as the dedupe key (Cloud:
 * `X-Request-UUID`, which its retries after a 5xx keep; Data Center: `X-Request-Id`), JSON bodies.
 * A push that changed several refs is one delivery listing each change: it becomes one event per
 * ref, keyed `<request id>/<ref>` (keyed-by-ref.ts), whose data is the delivery with that one
 * change in its list.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MalformedEventError } from '../../errors.ts';
import type { GitFacts, GitProvider, RunbridgeEvent } from '../../events/event.ts';
import { headerToken } from '../webhook/header-value.ts';
import { keyedByRef } from '../webhook/keyed-by-ref.ts';
import { oneChangeEach } from '../webhook/one-change-each.ts';
import type { WebhookReply, WebhookSource, WebhookSourceFactory } from '../webhook/webhook-source.ts';
import { bitbucketSignature, requireSignatureHeader } from './bitbucket-signature.ts';

const EVENT_KEY = /^[a-z_]+:[a-z_]+$/;

export interface BitbucketEdition {
  readonly name: GitProvider;
  /** The request id header, lower case. */
  readonly idHeader: string;
  readonly idHeaderLabel: string;
  /** The push event, and where its payload lists the refs it changed. */
  readonly push: { readonly event: string; readonly changes: readonly [string, ...string[]] };
  /** The facts of a payload; a push's payload lists one change (or it is malformed). */
  facts(event: string, payload: Readonly<Record<string, unknown>>): GitFacts | WebhookReply;
}

export function bitbucketSource(edition: BitbucketEdition): WebhookSourceFactory {
  const { name, idHeader } = edition;
  const eventOf = (headers: IncomingHttpHeaders): string | undefined => {
    const value = headers['x-event-key'];
    return typeof value === 'string' && EVENT_KEY.test(value) ? value : undefined;
  };
  const idOf = (headers: IncomingHttpHeaders): string | undefined => {
    const id = headerToken(headers, idHeader);
    return id === undefined ? undefined : `${name}:${id}`;
  };
  return (secrets): WebhookSource => ({
    name,
    formats: ['json'],
    identify: (headers) => {
      const event = eventOf(headers);
      return { eventId: idOf(headers), eventType: event === undefined ? undefined : `${name}.${event}` };
    },
    checkHeaders(headers) {
      const event = headers['x-event-key'];
      if (typeof event !== 'string' || event === '') throw new MalformedEventError('missing X-Event-Key header');
      if (eventOf(headers) === undefined) throw new MalformedEventError('X-Event-Key header is not an event key');
      if (headers[idHeader] === undefined) throw new MalformedEventError(`missing ${edition.idHeaderLabel} header`);
      if (idOf(headers) === undefined) throw new MalformedEventError(`${edition.idHeaderLabel} header is not a request id`);
    },
    checkCredentialHeaders: (headers) => requireSignatureHeader(headers),
    authenticate: async (headers, rawBody) => bitbucketSignature(secrets, headers, rawBody),
    deliveryKey: (headers) => idOf(headers),
    toEvents(headers, payload, deliveryKey, receivedAt) {
      const event = eventOf(headers);
      if (event === undefined) throw new MalformedEventError('missing X-Event-Key header');
      const parts = event === edition.push.event ? oneChangeEach(payload, edition.push.changes) : [payload];
      const events: Omit<RunbridgeEvent, 'id'>[] = [];
      for (const data of parts) {
        const git = edition.facts(event, data);
        if ('reply' in git) return git;
        events.push({ source: name, type: `${name}.${event}`, time: receivedAt.toISOString(), trigger: 'git', data, git });
      }
      return keyedByRef(deliveryKey, events);
    },
  });
}
