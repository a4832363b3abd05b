/**
 * GitLab's two ways to vouch for a delivery. The secret token (the webhook's "Secret token" field)
 * comes back in clear in `X-Gitlab-Token`: compared in constant time with every configured
 * secret. A signing token (newer GitLab, Standard Webhooks format `whsec_<base64>`) signs
 * `{webhook-id}.{webhook-timestamp}.{body}` into `webhook-signature: v1,<base64>`: checked with
 * the `standardwebhooks` package, which also refuses a timestamp more than five minutes off.
 * A configured secret starting with `whsec_` is a signing token and is only ever checked as one,
 * so a scope whose secrets are all signing tokens accepts signed deliveries only.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { SignatureError } from '../../errors.ts';

const SIGNING_TOKEN_PREFIX = 'whsec_';

export type GitlabAuthenticator = (headers: IncomingHttpHeaders, rawBody: Buffer) => ReadonlySet<number>;

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

export function gitlabAuthenticator(secrets: readonly string[]): GitlabAuthenticator {
  const checks = secrets.map((secret) => {
    if (!secret.startsWith(SIGNING_TOKEN_PREFIX)) {
      const expected = digest(secret);
      // Hashing both sides gives equal lengths, so the comparison time does not depend on the token.
      return { kind: 'token' as const, matches: (token: string) => timingSafeEqual(digest(token), expected) };
    }
    const webhook = new Webhook(secret);
    return { kind: 'signature' as const, matches: (headers: Record<string, string>, body: Buffer) => verifies(webhook, headers, body) };
  });
  return (headers, rawBody) => {
    requireGitlabCredentials(headers);
    const token = headers['x-gitlab-token'];
    const signed = standardHeaders(headers);
    const matched = new Set<number>();
    checks.forEach((check, position) => {
      const ok = check.kind === 'token' ? typeof token === 'string' && check.matches(token) : signed !== undefined && check.matches(signed, rawBody);
      if (ok) matched.add(position);
    });
    if (matched.size === 0) throw new SignatureError('neither X-Gitlab-Token nor webhook-signature matches any configured secret');
    return matched;
  };
}

/** A token or a complete set of signature headers, checked before the body is read. */
export function requireGitlabCredentials(headers: IncomingHttpHeaders): void {
  if (typeof headers['x-gitlab-token'] !== 'string' && standardHeaders(headers) === undefined) {
    throw new SignatureError('missing X-Gitlab-Token header (and no webhook-signature)');
  }
}

function standardHeaders(headers: IncomingHttpHeaders): Record<string, string> | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return undefined;
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
}

function verifies(webhook: Webhook, headers: Record<string, string>, body: Buffer): boolean {
  try {
    webhook.verify(body, headers);
    return true;
  } catch {
    return false;
  }
}
