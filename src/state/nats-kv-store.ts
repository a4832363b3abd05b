/**
 * StateStore on NATS JetStream KV (@nats-io/kv), for several replicas: compare-and-set is
 * JetStream's own "expected last subject sequence" check, decided by the server (and by Raft
 * across a NATS cluster when `replicas` > 1), so no replica can overwrite another's write unseen.
 *
 * Revisions are the stream sequences of the entries: increasing per key, not consecutive.
 * A deleted key leaves a delete marker; it reads as absent and can be created again
 * (`expectedRevision: 0`). The bucket is created with file storage when missing; an existing
 * bucket is opened as it is (changing `replicas` later is done with the nats CLI).
 */
import { jetstream, JetStreamApiCodes, JetStreamApiError, StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { RunbridgeError, StateError } from '../errors.ts';
import { assertStateKey, isStateKey } from './assert-state-key.ts';
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
  let closed = false;

  /** One operation; failures become state errors. */
  const operate = async <T>(what: string, key: string, fn: () => Promise<T>): Promise<T> => {
    if (closed) throw new StateError(`NATS KV state store ${bucket} is closed`);
    try {
      return await fn();
    } catch (error) {
      if (error instanceof RunbridgeError || error instanceof StateConflictError) throw error;
      if (isWrongLastSequence(error)) throw new StateConflictError(key, { cause: error });
      throw new StateError(`NATS KV ${bucket}: ${what} ${key} failed: ${(error as Error).message}`, { cause: error });
    }
  };

  return {
    async get<T>(key: string): Promise<StoredValue<T> | undefined> {
      assertStateKey(key);
      return operate('get', key, async () => {
        const entry = await kv.get(key);
        if (entry === null || entry.operation !== 'PUT') return undefined;
        return { value: decodeStateValue<T>(`NATS KV ${bucket} key ${key}`, entry.string()), revision: entry.revision };
      });
    },

    async put<T>(key: string, value: T, expectedRevision?: number): Promise<number> {
      assertStateKey(key);
      const data = encodeStateValue(key, value);
      return operate('put', key, () => {
        if (expectedRevision === undefined) return kv.put(key, data);
        // "Must not exist" also holds for a deleted key: create writes over its delete marker.
        return expectedRevision === 0 ? kv.create(key, data) : kv.update(key, data, expectedRevision);
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
    },
  };
}

/** The narrowest JetStream filter covering `prefix`: its complete tokens, then `>`. */
function subjectFilter(prefix: string): string {
  const complete = prefix.slice(0, prefix.lastIndexOf('.') + 1);
  return complete !== '' && isStateKey(complete.slice(0, -1)) ? `${complete}>` : '>';
}

function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}
