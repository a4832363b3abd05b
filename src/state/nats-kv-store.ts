/**
 * StateStore on NATS JetStream KV, for several replicas: compare-and-set is JetStream's own
 * "expected last subject sequence" check, decided by the server (and by Raft across a NATS
 * cluster when `replicas` > 1), so no replica can overwrite another's write unseen.
 *
 * Revisions are the stream sequences of the entries: increasing per key, not consecutive.
 * A deleted key leaves a delete marker; it reads as absent and can be created again
 * (`expectedRevision: 0`). The bucket is created with file storage when missing; an existing
 * bucket is opened as it is (changing `replicas` later is done with the nats CLI).
 *
 * Operations are pipelined: those asked for in one turn of the event loop are sent together, at
 * the end of it, so that many concurrent completions cost one socket write per turn instead of
 * one per operation, and none waits for another's answer. Reads (JetStream direct get of the last
 * message of the key's subject) and writes (a publish with the expected last subject sequence) go
 * through one requester (below) rather than a nats.js request each.
 *
 * Records with a lifetime (`retention`, retention.ts) are published with JetStream's per-message
 * TTL (`Nats-TTL`, whole seconds, at least 1; nats-server 2.11+): the server removes the message
 * when it expires, within about a second, and the key then reads as absent and can be created
 * again, at a higher revision (stream sequences never repeat). Records without one are published
 * without a TTL and stay until they are deleted. The bucket gets `allow_msg_ttl` (turned on in an
 * existing bucket too; it cannot be turned off again) and must have no max age of its own, which
 * would expire every record alike, the latest artifacts included: such a bucket is refused.
 *
 * The whole KV protocol runbridge speaks lives in this file, measured against @nats-io/kv's own
 * client in docs/adr/0004-state-and-jetstream.md; the store contract test
 * (test/state/state-store-contract.ts) and the requester's test hold it to its promises.
 */
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, PubHeaders, StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { createInbox, headers, type Msg, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { RunbridgeError, StateError } from '../errors.ts';
import { assertStateKey, isStateKey } from './assert-state-key.ts';
import type { Retention } from './retention.ts';
import { decodeStateValue, encodeStateValue } from './state-value.ts';
import { StateConflictError, type StateStore, type StoredValue } from './store.ts';

export interface NatsKvStoreOptions {
  nc: NatsConnection;
  bucket: string;
  replicas: number;
  /** Values kept per key (1 by default: compare-and-set needs only the last). */
  history?: number;
  /**
   * How long one operation waits for JetStream, in ms (5 s by default). While NATS is unreachable
   * an operation fails with StateError after this long; it is not retried here, because a put
   * that timed out may still have been stored: the caller re-reads and decides.
   */
  timeoutMs?: number;
  /** The lifetimes of records (retention.ts); without it nothing expires. */
  retention?: Retention;
}

export async function createNatsKvStore(options: NatsKvStoreOptions): Promise<StateStore> {
  const { bucket } = options;
  let kv: KV;
  try {
    kv = await new Kvm(jetstream(options.nc, { timeout: options.timeoutMs ?? 5_000 })).create(bucket, {
      replicas: options.replicas,
      history: options.history ?? 1,
      storage: StorageType.File,
      description: 'runbridge state',
    });
  } catch (error) {
    throw new StateError(`cannot open JetStream KV bucket ${bucket}: ${(error as Error).message}`, { cause: error });
  }
  const timeoutMs = options.timeoutMs ?? 5_000;
  const stream = `KV_${bucket}`;
  const config = (await kv.status()).streamInfo.config;
  if (config.max_age > 0) {
    throw new StateError(
      `JetStream KV bucket ${bucket} has a max age (${config.max_age / 1e9} s): it would expire every record, the latest artifacts too; runbridge gives records their lifetimes itself (remove the bucket's max age)`,
    );
  }
  if (config.allow_msg_ttl !== true) {
    try {
      await (await jetstreamManager(options.nc, { timeout: timeoutMs })).streams.update(stream, { ...config, allow_msg_ttl: true });
    } catch (error) {
      throw new StateError(`cannot allow per-message TTLs in JetStream KV bucket ${bucket} (nats-server 2.11 or later is needed): ${(error as Error).message}`, { cause: error });
    }
  }
  const direct = config.allow_direct === true;
  const requester = createRequester(options.nc, { timeoutMs });
  const retention = options.retention;
  const subjectOf = (key: string): string => `$KV.${bucket}.${key}`;
  const decoder = new TextDecoder();

  /** The last entry of the key, delete markers included; undefined when the key never existed. */
  const lastEntry = async (key: string): Promise<{ data: string; revision: number; deleted: boolean } | undefined> => {
    if (!direct) {
      const entry = await kv.get(key);
      return entry === null ? undefined : { data: entry.string(), revision: entry.revision, deleted: entry.operation !== 'PUT' };
    }
    const msg = await requester.request(`$JS.API.DIRECT.GET.${stream}.${subjectOf(key)}`, new Uint8Array(0));
    const code = msg.headers?.code ?? 0;
    if (code === 404) return undefined;
    if (code !== 0 || !msg.headers) throw new Error(`direct get answered ${code} ${msg.headers?.description ?? ''}`.trim());
    const operation = msg.headers.get('KV-Operation');
    return { data: decoder.decode(msg.data), revision: Number(msg.headers.get('Nats-Sequence')), deleted: operation === 'DEL' || operation === 'PURGE' };
  };

  /** Publishes the value, expecting the key's last revision to be `expected` (undefined: any), living `ttl` (undefined: for ever). */
  const publish = (key: string, data: Uint8Array, expected: number | undefined, ttl: string | undefined): Promise<number> => {
    const h = expected === undefined && ttl === undefined ? undefined : headers();
    if (expected !== undefined) h?.set(PubHeaders.ExpectedLastSubjectSequenceHdr, String(expected));
    if (ttl !== undefined) h?.set(PubHeaders.MessageTTL, ttl);
    return requester.request(subjectOf(key), data, h ? { headers: h } : {}).then(pubAckOf);
  };

  let closed = false;
  const queued: (() => void)[] = [];
  const send = (): void => {
    for (const start of queued.splice(0)) start();
  };
  const pipelined = <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queued.length === 0) setImmediate(send);
      queued.push(() => {
        try {
          fn().then(resolve, reject);
        } catch (error) {
          reject(error);
        }
      });
    });

  /** One operation as one promise chain (no async wrapper per layer); failures become state errors. */
  const operate = <T>(what: string, key: string, fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new StateError(`NATS KV state store ${bucket} is closed`));
    return pipelined(fn).catch((error: unknown) => {
      if (error instanceof RunbridgeError || error instanceof StateConflictError) throw error;
      if (isWrongLastSequence(error)) throw new StateConflictError(key, { cause: error });
      throw new StateError(`NATS KV ${bucket}: ${what} ${key} failed: ${(error as Error).message}`, { cause: error });
    });
  };

  return {
    async get<T>(key: string): Promise<StoredValue<T> | undefined> {
      assertStateKey(key);
      return operate('get', key, async () => {
        const entry = await lastEntry(key);
        if (entry === undefined || entry.deleted) return undefined;
        return { value: decodeStateValue<T>(`NATS KV ${bucket} key ${key}`, entry.data), revision: entry.revision };
      });
    },

    put<T>(key: string, value: T, expectedRevision?: number): Promise<number> {
      let data: Uint8Array;
      let ttl: string | undefined;
      try {
        assertStateKey(key);
        // Buffer.from: a slice of Node's small-buffer pool, several times cheaper than TextEncoder here.
        data = Buffer.from(encodeStateValue(key, value), 'utf8');
        ttl = ttlOf(retention?.lifetimeMs(key, value));
      } catch (error) {
        return Promise.reject(error);
      }
      return operate('put', key, () => {
        if (expectedRevision !== 0) return publish(key, data, expectedRevision, ttl);
        return publish(key, data, 0, ttl).catch(async (error: unknown) => {
          if (!isWrongLastSequence(error)) throw error;
          // "Must not exist" also holds for a deleted key: write over its delete marker.
          const last = await lastEntry(key);
          if (last === undefined || !last.deleted) throw error;
          return publish(key, data, last.revision, ttl);
        });
      });
    },

    async delete(key: string): Promise<void> {
      assertStateKey(key);
      return operate('delete', key, () => kv.delete(key));
    },

    async keys(prefix: string): Promise<string[]> {
      return operate('keys', prefix, async () => {
        const keys: string[] = [];
        for await (const key of await kv.keys(subjectFilter(prefix))) {
          if (key.startsWith(prefix)) keys.push(key);
        }
        return keys.sort();
      });
    },

    async close(): Promise<void> {
      closed = true; // the connection belongs to the caller
      requester.close();
    },
  };
}

/** A lifetime as a Nats-TTL header: whole seconds, rounded up, at least the server's minimum of 1 s. */
function ttlOf(lifetimeMs: number | undefined): string | undefined {
  return lifetimeMs === undefined ? undefined : `${Math.max(1, Math.ceil(lifetimeMs / 1000))}s`;
}

/** The narrowest JetStream filter covering `prefix`: its complete tokens, then `>`. */
function subjectFilter(prefix: string): string {
  const complete = prefix.slice(0, prefix.lastIndexOf('.') + 1);
  return complete !== '' && isStateKey(complete.slice(0, -1)) ? `${complete}>` : '>';
}

/** The stream sequence a publish was stored at, or its JetStream error thrown. */
function pubAckOf(msg: Msg): number {
  const answer = msg.json<{ seq?: number; error?: { code: number; err_code: number; description: string } }>();
  if (answer.error) throw new JetStreamApiError({ code: answer.error.code, err_code: answer.error.err_code, description: answer.error.description });
  if (typeof answer.seq !== 'number') throw new Error('JetStream answered the publish without a sequence');
  return answer.seq;
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/**
 * Request/reply for many requests in flight on one connection, at the cost of a map entry each:
 * one subscription on a private inbox (`<inbox>.<token>`), replies matched by token, and one timer
 * that fails requests past their deadline. nats.js's own `request()` is made for a few at a time:
 * each one arms a timer and creates an error object (and its stack) whether or not it fails, which
 * at thousands of state store operations a second is a large share of the CPU.
 */
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
