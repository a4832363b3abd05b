/**
 * What requests not yet authenticated may hold at once: a number of requests and a number of body
 * bytes (as the request declares them, or the body limit when it does not say), in all and per
 * client address. A request enters before its body is read and leaves once it is authenticated or
 * refused; one that would go over a cap is refused at once with 503 and Retry-After. A crowd of
 * stalled or oversize senders thus costs a bounded amount of memory, and one address cannot take
 * every place: senders from other addresses still get in.
 *
 *   const gate = preAuthGate({ maxRequests: 64, maxBytes: 16 << 20, maxRequestsPerClient: 16, maxBytesPerClient: 4 << 20 });
 *   const leave = gate.enter(declaredBodyBytes(req.headers, limit), req.socket.remoteAddress);
 *   try { body = await readBody(req); authenticate(body); } finally { leave(); }
 */
import type { IncomingHttpHeaders } from 'node:http';
import { OverloadedError } from '../errors.ts';

export interface PreAuthLimits {
  readonly maxRequests: number;
  readonly maxBytes: number;
  readonly maxRequestsPerClient: number;
  readonly maxBytesPerClient: number;
}

export interface PreAuthGate {
  /** Admits one request of `bytes` from `client` (throws OverloadedError beyond a cap); the function returned lets it out (once). */
  enter(bytes: number, client: string | undefined): () => void;
  inFlight(): { readonly requests: number; readonly bytes: number; readonly clients: number };
}

const RETRY_AFTER_SECONDS = 5;

interface Held {
  requests: number;
  bytes: number;
}

export function preAuthGate(limits: PreAuthLimits): PreAuthGate {
  const total: Held = { requests: 0, bytes: 0 };
  // Only addresses with a request in flight: at most maxRequests entries.
  const byClient = new Map<string, Held>();
  const refuse = (what: string, cap: number): never => {
    throw new OverloadedError(`too many unauthenticated ${what} in flight (${cap}): try again later`, RETRY_AFTER_SECONDS);
  };
  return {
    enter(size, address) {
      const client = address ?? 'unknown';
      const own = byClient.get(client) ?? { requests: 0, bytes: 0 };
      if (total.requests + 1 > limits.maxRequests) refuse('requests', limits.maxRequests);
      if (own.requests + 1 > limits.maxRequestsPerClient) refuse('requests from this address', limits.maxRequestsPerClient);
      if (total.bytes + size > limits.maxBytes) refuse('bytes', limits.maxBytes);
      if (own.bytes + size > limits.maxBytesPerClient) refuse('bytes from this address', limits.maxBytesPerClient);
      total.requests += 1;
      total.bytes += size;
      own.requests += 1;
      own.bytes += size;
      byClient.set(client, own);
      let left = false;
      return () => {
        if (left) return;
        left = true;
        total.requests -= 1;
        total.bytes -= size;
        own.requests -= 1;
        own.bytes -= size;
        if (own.requests === 0) byClient.delete(client);
      };
    },
    inFlight: () => ({ requests: total.requests, bytes: total.bytes, clients: byClient.size }),
  };
}

/** The gate a listener's settings (server.limits) describe. */
export function gateOf(limits: {
  readonly maxUnauthenticatedRequests: number;
  readonly maxUnauthenticatedBytes: number;
  readonly maxUnauthenticatedRequestsPerClient: number;
  readonly maxUnauthenticatedBytesPerClient: number;
}): PreAuthGate {
  return preAuthGate({
    maxRequests: limits.maxUnauthenticatedRequests,
    maxBytes: limits.maxUnauthenticatedBytes,
    maxRequestsPerClient: limits.maxUnauthenticatedRequestsPerClient,
    maxBytesPerClient: limits.maxUnauthenticatedBytesPerClient,
  });
}

/** The body size a request holds a place for: its Content-Length when valid and within the limit, else the limit. */
export function declaredBodyBytes(headers: IncomingHttpHeaders, limitBytes: number): number {
  const length = headers['content-length'];
  if (length === undefined || !/^\d{1,15}$/.test(length)) return limitBytes;
  return Math.min(Number(length), limitBytes);
}
