/**
 * Gitea's and Forgejo's webhook deliveries (a hook of type "Gitea" or "Forgejo"). The event is in
 * `X-Gitea-Event` (Forgejo: `X-Forgejo-Event`, and the Gitea header too); the raw body is signed
 * with HMAC-SHA256 as bare hex in `X-Gitea-Signature` (Forgejo: `X-Forgejo-Signature`, which is
 * the one checked when present). Both also send GitHub's headers; this source reads its own.
 *
 * The dedupe key is made from the content, not from `X-Gitea-Delivery`: a replay from the hook's
 * page is a new hook task with a new UUID. A push is keyed by repository, ref and before/after; a
 * pull request by repository, number, head commit, action (and merged, and the time it was
 * updated, so a second close after a reopen is a new event); a created or deleted ref by its
 * name and commit; a release by its id and action.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MalformedEventError, SignatureError } from '../../errors.ts';
import type { RunbridgeEvent } from '../../events/event.ts';
import { contentKey } from '../webhook/content-key.ts';
import { headerToken } from '../webhook/header-value.ts';
import { hmacSecrets } from '../webhook/hmac-secrets.ts';
import { fieldAt } from '../webhook/payload-fields.ts';
import type { WebhookEvents, WebhookSource, WebhookSourceFactory } from '../webhook/webhook-source.ts';
import { giteaFacts } from './gitea-facts.ts';

const EVENT_NAME = /^[a-z][a-z_]{0,63}$/;

function giteaLikeSource(name: 'gitea' | 'forgejo'): WebhookSourceFactory {
  // Forgejo sends its own headers and Gitea's; Gitea only its own.
  const prefixes = name === 'forgejo' ? ['x-forgejo-', 'x-gitea-'] : ['x-gitea-'];
  const first = (headers: IncomingHttpHeaders, suffix: string): { header: string; value: string | undefined } | undefined => {
    for (const prefix of prefixes) {
      const value = headers[prefix + suffix];
      if (value !== undefined) return { header: prefix + suffix, value: typeof value === 'string' ? value : undefined };
    }
    return undefined;
  };
  const eventOf = (headers: IncomingHttpHeaders): string | undefined => {
    const value = first(headers, 'event')?.value;
    return value !== undefined && EVENT_NAME.test(value) ? value : undefined;
  };
  const eventHeader = name === 'forgejo' ? 'X-Forgejo-Event' : 'X-Gitea-Event';
  const signatureHeader = name === 'forgejo' ? 'X-Forgejo-Signature' : 'X-Gitea-Signature';

  return (secrets): WebhookSource => ({
    name,
    formats: ['json', 'form'],
    identify(headers) {
      const event = eventOf(headers);
      const delivery = first(headers, 'delivery');
      const id = delivery === undefined ? undefined : headerToken(headers, delivery.header);
      return { eventId: id, eventType: event === undefined ? undefined : `${name}.${event}` };
    },
    checkHeaders(headers) {
      if (first(headers, 'event') === undefined) throw new MalformedEventError(`missing ${eventHeader} header`);
      if (eventOf(headers) === undefined) throw new MalformedEventError(`${eventHeader} header is not an event name`);
    },
    checkCredentialHeaders(headers) {
      if (first(headers, 'signature')?.value === undefined) throw new SignatureError(`missing ${signatureHeader} header`);
    },
    async authenticate(headers, rawBody) {
      const signature = first(headers, 'signature');
      if (signature?.value === undefined) throw new SignatureError(`missing ${signatureHeader} header`);
      const matched = hmacSecrets(secrets, rawBody, signature.value);
      if (matched.size === 0) throw new SignatureError(`${signatureHeader} does not match the body with any configured secret`);
      return matched;
    },
    deliveryKey(headers, payload) {
      const event = eventOf(headers) ?? '';
      const repository = str(fieldAt(payload, ['repository', 'full_name']));
      const at = (...path: string[]) => str(fieldAt(payload, path));
      switch (event) {
        case 'push':
          return contentKey(name, event, [repository, at('ref'), at('before'), at('after')]);
        case 'pull_request':
          return contentKey(name, event, [repository, at('number'), at('pull_request', 'head', 'sha'), at('action'), String(fieldAt(payload, ['pull_request', 'merged'])), at('pull_request', 'updated_at')]);
        case 'create':
        case 'delete':
          return contentKey(name, event, [repository, at('ref_type'), at('ref'), at('sha')]);
        case 'release':
          return contentKey(name, event, [repository, at('release', 'id'), at('action')]);
        default: {
          const delivery = first(headers, 'delivery');
          const id = delivery === undefined ? undefined : headerToken(headers, delivery.header);
          return id === undefined ? undefined : `${name}:${id}`;
        }
      }
    },
    toEvents(headers, payload, deliveryKey, receivedAt): WebhookEvents {
      const event = eventOf(headers);
      if (event === undefined) throw new MalformedEventError(`missing ${eventHeader} header`);
      const received: RunbridgeEvent = {
        id: deliveryKey,
        source: name,
        type: `${name}.${event}`,
        time: receivedAt.toISOString(),
        trigger: 'git',
        data: payload,
        git: giteaFacts(name, event, payload),
      };
      return [received];
    },
  });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export const giteaSource = giteaLikeSource('gitea');
export const forgejoSource = giteaLikeSource('forgejo');
