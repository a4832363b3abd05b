import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/** Whether `signatureHeader` (`sha256=<hex>`) signs `body` with one of the configured secrets. */
export type SignatureVerifier = (body: Uint8Array, signatureHeader: string | undefined) => boolean;

/**
 * HMAC-SHA256 of the body's bytes as received, compared in constant time with the header, as
 * @octokit/webhooks' verify does (the whole `sha256=<lowercase hex>` text, so an upper-case digest
 * does not match either). Several secrets are accepted at once so that a secret can be rotated
 * without dropping deliveries; every secret is tried, so the time taken does not tell which one
 * matched. Each secret's key object is made once, not per delivery.
 */
export function createSignatureVerifier(secrets: readonly string[]): SignatureVerifier {
  const keys: KeyObject[] = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
  return (body, signatureHeader) => {
    if (keys.length === 0 || body.length === 0 || !signatureHeader?.startsWith('sha256=')) return false;
    const given = Buffer.from(signatureHeader, 'utf8');
    let matched = false;
    for (const key of keys) {
      const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(body).digest('hex')}`, 'utf8');
      if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
    }
    return matched;
  };
}
