/**
 * Who may post to the HTTP completion endpoint (`completions.http.auth`). A request proves itself
 * with one of two credentials, each a list so that a new one can be added before the old one goes:
 *   - `Authorization: Bearer <token>`, one of `tokens` — checked before the body is read;
 *   - `X-Runbridge-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with one of `hmacSecrets` —
 *     its presence checked before the body is read, its value right after (before parsing).
 * Anything else is 401 and changes nothing. Tokens are compared as SHA-256 digests in constant
 * time, every configured one tried; failed attempts are limited per client address (429).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TooManyRequestsError, UnauthorizedError } from '../../errors.ts';
import type { FailedAttempts } from '../manual/failed-attempts.ts';
import { hmacSecrets } from '../webhook/hmac-secrets.ts';

export const SIGNATURE_HEADER = 'x-runbridge-signature';
const SIGNATURE_PREFIX = 'sha256=';

export interface CompletionCredentials {
  /** Before the body: `authenticated` (a valid token, or no authentication configured), or `signed` (check the body next); throws 401/429. */
  beforeBody(headers: IncomingHttpHeaders, client: string | undefined): 'authenticated' | 'signed';
  /** After the raw body is read, for a `signed` request: throws 401 unless the signature matches. */
  checkSignature(headers: IncomingHttpHeaders, rawBody: Buffer, client: string | undefined): void;
}

export function completionCredentials(options: { tokens: readonly string[]; hmacSecrets: readonly string[]; insecure: boolean; attempts: FailedAttempts }): CompletionCredentials {
  const { attempts } = options;
  const tokens = options.tokens.map(digest);
  const challenge = tokens.length > 0 ? { challenge: 'Bearer realm="runbridge-completions"' } : {};
  const accepted = [tokens.length > 0 ? 'Authorization: Bearer <token>' : '', options.hmacSecrets.length > 0 ? `X-Runbridge-Signature: sha256=<hex HMAC of the body>` : ''].filter(Boolean).join(' or ');
  const refuse = (client: string, message: string): never => {
    attempts.fail(client);
    throw new UnauthorizedError(message, challenge);
  };
  return {
    beforeBody(headers, address) {
      if (options.insecure) return 'authenticated';
      const client = address ?? 'unknown';
      const waitMs = attempts.retryAfterMs(client);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new TooManyRequestsError(`too many failed authentication attempts from this address; retry in ${seconds} s`, seconds);
      }
      const bearer = /^Bearer[ ]+(\S+)[ ]*$/i.exec(headers.authorization ?? '')?.[1];
      if (bearer !== undefined && tokens.length > 0) {
        const given = digest(bearer);
        // Every token is compared, so the time taken does not tell which one matched.
        const matched = tokens.reduce((found, token) => timingSafeEqual(given, token) || found, false);
        if (matched) return 'authenticated';
        return refuse(client, 'invalid bearer token');
      }
      if (typeof headers[SIGNATURE_HEADER] === 'string' && options.hmacSecrets.length > 0) return 'signed';
      return refuse(client, `missing credentials: send ${accepted}`);
    },
    checkSignature(headers, rawBody, address) {
      const signature = headers[SIGNATURE_HEADER];
      const hex = typeof signature === 'string' && signature.startsWith(SIGNATURE_PREFIX) ? signature.slice(SIGNATURE_PREFIX.length) : '';
      if (hmacSecrets(options.hmacSecrets, rawBody, hex).size > 0) return;
      refuse(address ?? 'unknown', 'X-Runbridge-Signature does not match the body with any configured secret');
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
