/**
 * Each forge's way of authenticating a delivery, for tests: the headers a forge adds with a secret
 * (or signing token) of the test's own, over the exact body sent.
 */
import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ForgeName } from '../../src/config/schema.ts';
import type { Forge } from '../support/forge-fixture.ts';

export interface ForgeUnderTest {
  readonly name: ForgeName;
  readonly fixtures: Forge;
  /** A push to `main` of the fixture story's repository, and its repository as the facts name it. */
  readonly push: string;
  readonly repository: string;
  readonly eventHeader: string;
  /** The header whose value is the dedupe key; `undefined` for a forge keyed by content. */
  readonly idHeader: string | undefined;
  /** The headers that authenticate `body` with `secret`. */
  sign(secret: string, body: string): Record<string, string>;
}

const hex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

export const FORGES: readonly ForgeUnderTest[] = [
  {
    name: 'gitlab',
    fixtures: 'gitlab',
    push: 'push.json',
    repository: 'acme/shop',
    eventHeader: 'X-Gitlab-Event',
    idHeader: 'Idempotency-Key',
    sign: (secret) => ({ 'X-Gitlab-Token': secret }),
  },
  {
    name: 'gitea',
    fixtures: 'gitea',
    push: 'push.json',
    repository: 'runbridge-admin/shop',
    eventHeader: 'X-Gitea-Event',
    idHeader: undefined,
    sign: (secret, body) => ({ 'X-Gitea-Signature': hex(secret, body), 'X-Hub-Signature-256': `sha256=${hex(secret, body)}` }),
  },
  {
    name: 'bitbucket-cloud',
    fixtures: 'bitbucket-cloud',
    push: 'repo-push.json',
    repository: 'acme/shop',
    eventHeader: 'X-Event-Key',
    idHeader: 'X-Request-UUID',
    sign: (secret, body) => ({ 'X-Hub-Signature': `sha256=${hex(secret, body)}` }),
  },
  {
    name: 'bitbucket-data-center',
    fixtures: 'bitbucket-dc',
    push: 'repo-refs-changed.json',
    repository: 'ACME/shop',
    eventHeader: 'X-Event-Key',
    idHeader: 'X-Request-Id',
    sign: (secret, body) => ({ 'X-Hub-Signature': `sha256=${hex(secret, body)}` }),
  },
];

/** GitLab's signing token (Standard Webhooks): `webhook-id` is the Idempotency-Key. */
export function signStandardWebhook(signingToken: string, id: string, body: string, at = new Date()): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(signingToken).sign(id, at, body),
  };
}
