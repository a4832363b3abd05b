/**
 * Request/reply for many requests in flight on one connection, at the cost of a map entry each:
 * one subscription on a private inbox (`<inbox>.<token>`), replies matched by token, and one timer
 * that fails requests past their deadline. nats.js's own `request()` is made for a few at a time:
 * each one arms a timer and creates an error object (and its stack) whether or not it fails, which
 * at thousands of state store operations a second is a large share of the CPU.
 */
import { createInbox, type MsgHdrs, type Msg, type NatsConnection } from '@nats-io/transport-node';

export class RequestTimeoutError extends Error {
  constructor(subject: string, timeoutMs: number) {
    super(`no reply to ${subject} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class NoRespondersError extends Error {
  constructor(subject: string) {
    super(`no responders for ${subject}`);
    this.name = 'NoRespondersError';
  }
}

export interface Requester {
  request(subject: string, payload: Uint8Array, options?: { headers?: MsgHdrs }): Promise<Msg>;
  /** Fails the requests still waiting and stops listening. */
  close(): void;
}

interface Waiting {
  readonly subject: string;
  readonly deadline: number;
  readonly resolve: (msg: Msg) => void;
  readonly reject: (error: Error) => void;
}

export function createRequester(nc: NatsConnection, options: { timeoutMs: number; now?: () => number }): Requester {
  const now = options.now ?? Date.now;
  const prefix = `${createInbox()}.`;
  const waiting = new Map<string, Waiting>();
  let next = 0;
  const subscription = nc.subscribe(`${prefix}*`, {
    callback: (_error, msg) => {
      const token = msg.subject.slice(prefix.length);
      const request = waiting.get(token);
      if (request === undefined) return;
      waiting.delete(token);
      if (msg.headers?.code === 503 && msg.data.length === 0) request.reject(new NoRespondersError(request.subject));
      else request.resolve(msg);
    },
  });
  const sweep = setInterval(
    () => {
      const at = now();
      for (const [token, request] of waiting) {
        if (request.deadline > at) continue;
        waiting.delete(token);
        request.reject(new RequestTimeoutError(request.subject, options.timeoutMs));
      }
    },
    Math.max(10, Math.min(1_000, Math.floor(options.timeoutMs / 4))),
  );
  sweep.unref();
  void nc.closed().then(() => fail(new Error('the NATS connection is closed')));

  const fail = (error: Error): void => {
    clearInterval(sweep);
    for (const request of waiting.values()) request.reject(error);
    waiting.clear();
  };

  return {
    request(subject, payload, requestOptions = {}) {
      return new Promise<Msg>((resolve, reject) => {
        if (nc.isClosed()) {
          reject(new Error('the NATS connection is closed'));
          return;
        }
        const token = (next++).toString(36);
        waiting.set(token, { subject, deadline: now() + options.timeoutMs, resolve, reject });
        try {
          nc.publish(subject, payload, { reply: `${prefix}${token}`, ...(requestOptions.headers ? { headers: requestOptions.headers } : {}) });
        } catch (error) {
          waiting.delete(token);
          reject(error as Error);
        }
      });
    },
    close() {
      fail(new Error('the requester is closed'));
      if (!subscription.isClosed()) subscription.unsubscribe();
    },
  };
}
