import { createHash } from 'node:crypto';

/**
 * A delivery key made from what a delivery is about, for forges whose redeliveries carry a new id
 * (a Gitea replay, a GitLab too old to send Idempotency-Key): `<source>:<kind>:<32 hex>` of the
 * parts, so that the same push or pull request update gives the same key however often it is sent.
 */
export function contentKey(source: string, kind: string, parts: readonly (string | number | undefined)[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
  return `${source}:${kind}:${digest}`;
}
