/**
 * GitHub's webhook deliveries: `X-GitHub-Event` names the event, `X-GitHub-Delivery` is the id a
 * redelivery keeps (the dedupe key), `X-Hub-Signature-256` signs the raw body (checked with
 * @octokit/webhooks). A `ping` is answered with a pong and starts nothing.
 */
import { MalformedEventError, SignatureError } from '../../errors.ts';
import type { WebhookSource, WebhookSourceFactory } from '../webhook/webhook-source.ts';
import { createSignatureVerifier } from './create-signature-verifier.ts';
import { checkDeliveryHeaders, deliveryIdOf, eventNameOf } from './delivery-headers.ts';
import { githubEvent } from './github-event.ts';

export const githubSource: WebhookSourceFactory = (secrets): WebhookSource => {
  const verify = createSignatureVerifier(secrets);
  return {
    name: 'github',
    formats: ['json', 'form'],
    identify(headers) {
      const name = eventNameOf(headers);
      return { eventId: deliveryIdOf(headers), eventType: name === undefined ? undefined : `github.${name}` };
    },
    checkHeaders: checkDeliveryHeaders,
    checkCredentialHeaders(headers) {
      if (typeof headers['x-hub-signature-256'] !== 'string') throw new SignatureError('missing X-Hub-Signature-256 header');
    },
    async authenticate(headers, rawBody) {
      const signature = headers['x-hub-signature-256'];
      if (typeof signature !== 'string') throw new SignatureError('missing X-Hub-Signature-256 header');
      const matched = await verify(rawBody.toString('utf8'), signature);
      if (matched.size === 0) throw new SignatureError('X-Hub-Signature-256 does not match the body with any configured secret');
      return matched;
    },
    deliveryKey: (headers) => deliveryIdOf(headers),
    toEvents(headers, payload, deliveryKey, receivedAt) {
      const name = headers['x-github-event'];
      if (typeof name !== 'string' || name === '') throw new MalformedEventError('missing X-GitHub-Event header');
      if (name === 'ping') return { reply: { eventId: deliveryKey, pong: true, zen: typeof payload['zen'] === 'string' ? payload['zen'] : '' }, reason: 'ping' };
      return [githubEvent({ name, deliveryId: deliveryKey, payload, receivedAt })];
    },
  };
};
