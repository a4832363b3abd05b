import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * The positions of the secrets whose HMAC-SHA256 of `body` is `hexDigest` (Gitea's and Forgejo's
 * bare hex, Bitbucket's after `sha256=`). Every secret is tried and compared in constant time, so
 * the time taken does not tell which one matched; a digest that is not 64 hex digits matches none.
 */
export function hmacSecrets(secrets: readonly string[], body: Buffer, hexDigest: string): ReadonlySet<number> {
  const matched = new Set<number>();
  if (!HEX_SHA256.test(hexDigest)) return matched;
  const given = Buffer.from(hexDigest, 'hex');
  secrets.forEach((secret, position) => {
    if (timingSafeEqual(createHmac('sha256', secret).update(body).digest(), given)) matched.add(position);
  });
  return matched;
}
