/**
 * Admits a request only with `Authorization: Bearer <token>` carrying the configured token (401
 * otherwise, with `WWW-Authenticate: Bearer`). Both sides are hashed before a constant-time
 * compare, so neither the token's content nor its length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../../errors.ts';

export function requireBearerToken(token: string): RequestHandler {
  if (token === '') throw new Error('requireBearerToken needs a non-empty token');
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="runbridge"');
    next(new UnauthorizedError(match ? 'invalid bearer token' : 'missing bearer token: send Authorization: Bearer <api token>'));
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
