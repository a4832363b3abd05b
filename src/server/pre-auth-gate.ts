/**
 * What requests not yet authenticated may hold at once: a number of requests and a number of body
 * bytes (as the request declares them, or the body limit when it does not say). A request enters
 * before its body is read and leaves once it is authenticated or refused; one that would go over
 * either cap is refused at once with 503 and Retry-After, so a crowd of stalled or oversize senders
 * costs a bounded amount of memory and leaves room for the real ones when they go away.
 *
 *   const gate = preAuthGate({ maxRequests: 64, maxBytes: 16 << 20 });
 *   const leave = gate.enter(declaredBodyBytes(req.headers, limit));
 *   try { body = await readBody(req); authenticate(body); } finally { leave(); }
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OverloadedError } from '../errors.ts';

export interface PreAuthGate {
  /** Admits one request of `bytes` (throws OverloadedError beyond a cap); the function returned lets it out (once). */
  enter(bytes: number): () => void;
  inFlight(): { readonly requests: number; readonly bytes: number };
}

const RETRY_AFTER_SECONDS = 5;

export function preAuthGate(limits: { readonly maxRequests: number; readonly maxBytes: number }): PreAuthGate {
  let requests = 0;
  let bytes = 0;
  return {
    enter(size) {
      if (requests + 1 > limits.maxRequests) {
        throw new OverloadedError(`too many unauthenticated requests in flight (${limits.maxRequests}): try again later`, RETRY_AFTER_SECONDS);
      }
      if (bytes + size > limits.maxBytes) {
        throw new OverloadedError(`too many unauthenticated bytes in flight (${limits.maxBytes}): try again later`, RETRY_AFTER_SECONDS);
      }
      requests += 1;
      bytes += size;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        requests -= 1;
        bytes -= size;
      };
    },
    inFlight: () => ({ requests, bytes }),
  };
}

/** The body size a request holds a place for: its Content-Length when valid and within the limit, else the limit. */
export function declaredBodyBytes(headers: IncomingHttpHeaders, limitBytes: number): number {
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,15}$/.test(length)) return limitBytes;
  return Math.min(Number(length), limitBytes);
}
