/**
 * GitLab's webhook deliveries: `X-Gitlab-Event` names the event (`Push Hook`, `Tag Push Hook`,
 * `Merge Request Hook`, `Release Hook`, …), the payload's `object_kind` says the same in its own
 * words. Authenticated by the secret token or the signing token (gitlab-authenticate.ts). The
 * dedupe key is `Idempotency-Key`, the same on GitLab's retries and manual resends; GitLab
 * releases before it sent that header get a key from the content (project, ref, before/after;
 * merge request, head commit, action), because `X-Gitlab-Webhook-UUID` changes on a resend.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MalformedEventError } from '../../errors.ts';
import type { RunbridgeEvent } from '../../events/event.ts';
import { contentKey } from '../webhook/content-key.ts';
import { fieldAt } from '../webhook/payload-fields.ts';
import { headerToken } from '../webhook/header-value.ts';
import type { WebhookEvents, WebhookSource, WebhookSourceFactory } from '../webhook/webhook-source.ts';
import { gitlabAuthenticator, requireGitlabCredentials } from './gitlab-authenticate.ts';
import { gitlabFacts } from './gitlab-facts.ts';

const NAME = 'gitlab';

const eventOf = (headers: IncomingHttpHeaders) => headerToken(headers, 'x-gitlab-event');

export const gitlabSource: WebhookSourceFactory = (secrets): WebhookSource => {
  const authenticate = gitlabAuthenticator(secrets);
  return {
    name: NAME,
    formats: ['json'],
    identify(headers) {
      const event = eventOf(headers);
      const id = headerToken(headers, 'idempotency-key');
      return { eventId: id === undefined ? undefined : `${NAME}:${id}`, eventType: event === undefined ? undefined : `${NAME}.${event}` };
    },
    checkHeaders(headers) {
      const event = headers['x-gitlab-event'];
      if (typeof event !== 'string' || event === '') throw new MalformedEventError('missing X-Gitlab-Event header');
      if (eventOf(headers) === undefined) throw new MalformedEventError('X-Gitlab-Event header is not an event name');
      const key = headers['idempotency-key'];
      if (key !== undefined && headerToken(headers, 'idempotency-key') === undefined) throw new MalformedEventError('Idempotency-Key header is not a delivery id');
    },
    checkCredentialHeaders: requireGitlabCredentials,
    authenticate: async (headers, rawBody) => authenticate(headers, rawBody),
    deliveryKey(headers, payload) {
      const id = headerToken(headers, 'idempotency-key');
      if (id !== undefined) return `${NAME}:${id}`;
      const kind = String(payload['object_kind'] ?? eventOf(headers) ?? '');
      const project = fieldAt(payload, ['project', 'id']) as number | undefined;
      if (kind === 'push' || kind === 'tag_push') return contentKey(NAME, kind, [project, str(payload['ref']), str(payload['before']), str(payload['after'])]);
      if (kind === 'merge_request') {
        const at = (...path: string[]) => str(fieldAt(payload, ['object_attributes', ...path]));
        return contentKey(NAME, kind, [project, at('iid'), at('last_commit', 'id'), at('action'), at('updated_at')]);
      }
      return contentKey(NAME, kind || 'event', [JSON.stringify(payload)]);
    },
    toEvents(headers, payload, deliveryKey, receivedAt): WebhookEvents {
      const event = eventOf(headers);
      if (event === undefined) throw new MalformedEventError('missing X-Gitlab-Event header');
      const received: RunbridgeEvent = {
        id: deliveryKey,
        source: NAME,
        type: `${NAME}.${String(payload['object_kind'] ?? event)}`,
        time: receivedAt.toISOString(),
        trigger: 'git',
        data: payload,
        git: gitlabFacts(event, payload),
      };
      return [received];
    },
  };
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
