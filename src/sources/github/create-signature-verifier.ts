import { Webhooks } from '@octokit/webhooks';

/** Whether `signatureHeader` (`sha256=<hex>`) signs `body` with one of the configured secrets. */
export type SignatureVerifier = (body: string, signatureHeader: string | undefined) => Promise<boolean>;

/**
 * HMAC-SHA256 verification with @octokit/webhooks (constant-time comparison). Several secrets are
 * accepted at once so that a secret can be rotated without dropping deliveries; every secret is
 * tried, so the time taken does not tell which one matched.
 */
export function createSignatureVerifier(secrets: readonly string[]): SignatureVerifier {
  const verifiers = secrets.map((secret) => new Webhooks({ secret }));
  return async (body, signatureHeader) => {
    if (verifiers.length === 0 || body === '' || !signatureHeader?.startsWith('sha256=')) return false;
    const results = await Promise.all(verifiers.map((v) => v.verify(body, signatureHeader)));
    return results.includes(true);
  };
}
