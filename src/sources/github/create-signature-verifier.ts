import { Webhooks } from '@octokit/webhooks';

/** The positions of the configured secrets `signatureHeader` (`sha256=<hex>`) signs `body` with; empty when none. */
export type SignatureVerifier = (body: string, signatureHeader: string | undefined) => Promise<ReadonlySet<number>>;

/**
 * HMAC-SHA256 verification with @octokit/webhooks (constant-time comparison). Several secrets are
 * accepted at once so that a secret can be rotated without dropping deliveries; every secret is
 * tried, so the time taken does not tell which one matched.
 */
export function createSignatureVerifier(secrets: readonly string[]): SignatureVerifier {
  const verifiers = secrets.map((secret) => new Webhooks({ secret }));
  return async (body, signatureHeader) => {
    if (verifiers.length === 0 || body === '' || !signatureHeader?.startsWith('sha256=')) return new Set();
    const results = await Promise.all(verifiers.map((v) => v.verify(body, signatureHeader)));
    return new Set(results.flatMap((ok, position) => (ok ? [position] : [])));
  };
}
