/**
 * Admits a request only with `Authorization: Bearer <token>` carrying the configured token (401
 * otherwise, with `WWW-Authenticate: Bearer`). Both sides are hashed before a constant-time
 * compare, so neither the token's content nor its length leaks through timing. A client address
 * with too many failed attempts is refused (429 with Retry-After) before its token is looked at.
 * The address is the connection's own: a forwarded-for header is the caller's to invent.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { TooManyRequestsError, UnauthorizedError } from '../../errors.ts';
import type { FailedAttempts } from './failed-attempts.ts';

const CHALLENGE = 'Bearer realm="runbridge"';

/** Checks one request's credentials: its Authorization header and the address it came from. */
export type BearerTokenCheck = (authorization: string | undefined, client: string | undefined) => void;

export function bearerTokenCheck(token: string, attempts?: FailedAttempts): BearerTokenCheck {
  if (token === '') throw new Error('bearerTokenCheck needs a non-empty token');
  const expected = digest(token);
  return (authorization, address) => {
    const client = address ?? 'unknown';
    const waitMs = attempts?.retryAfterMs(client) ?? 0;
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new TooManyRequestsError(`too many failed authentication attempts from this address; retry in ${seconds} s`, seconds);
    }
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return;
    attempts?.fail(client);
    throw new UnauthorizedError(match ? 'invalid bearer token' : 'missing bearer token: send Authorization: Bearer <api token>', { challenge: CHALLENGE });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
