/**
 * Admits a request only with `Authorization: Bearer <token>` carrying the configured token (401
 * otherwise, with `WWW-Authenticate: Bearer`). Both sides are hashed before a constant-time
 * compare, so neither the token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../../errors.ts';

const CHALLENGE = 'Bearer realm="runbridge"';

export function bearerTokenCheck(token: string): (authorization: string | undefined) => void {
  if (token === '') throw new Error('bearerTokenCheck needs a non-empty token');
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return;
    throw new UnauthorizedError(match ? 'invalid bearer token' : 'missing bearer token: send Authorization: Bearer <api token>', { challenge: CHALLENGE });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
