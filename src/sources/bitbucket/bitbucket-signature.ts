import type { IncomingHttpHeaders } from 'node:http';
import { SignatureError } from '../../errors.ts';
import { hmacSecrets } from '../webhook/hmac-secrets.ts';

/**
 * Both Bitbucket editions sign the raw body as `X-Hub-Signature: sha256=<hex HMAC-SHA256>` when the
 * hook has a secret. A hook without one sends no signature (Cloud) or uses HTTP Basic auth (Data
 * Center): such deliveries are refused, whatever else they carry.
 */
export function bitbucketSignature(secrets: readonly string[], headers: IncomingHttpHeaders, rawBody: Buffer): ReadonlySet<number> {
  const signature = requireSignatureHeader(headers);
  if (!signature.startsWith('sha256=')) throw new SignatureError('X-Hub-Signature is not sha256=<hex>');
  const matched = hmacSecrets(secrets, rawBody, signature.slice('sha256='.length));
  if (matched.size === 0) throw new SignatureError('X-Hub-Signature does not match the body with any configured secret');
  return matched;
}

/** The X-Hub-Signature header, checked for presence before the body is read. */
export function requireSignatureHeader(headers: IncomingHttpHeaders): string {
  const signature = headers['x-hub-signature'];
  if (typeof signature !== 'string') throw new SignatureError('missing X-Hub-Signature header (set a secret on the Bitbucket webhook)');
  return signature;
}
