/**
 * A small key-value store with compare-and-set, the shape of NATS JetStream KV so that the file
 * store (embedded default) and the KV store (replicas) are interchangeable. Keys are
 * `.`-separated tokens of [A-Za-z0-9_=-] (JetStream's rule); use `stateKey()` to build them.
 */
import { rememberRecent } from '../remember-recent.ts';

export interface StoredValue<T> {
  readonly value: T;
  /**
   * Monotonic per key, also across a delete (a key created again gets a higher revision than it
   * ever had); not necessarily consecutive. Pass it back to `put` for compare-and-set.
   */
  readonly revision: number;
}

/**
 * Implementations: file-store.ts (embedded, one process) and nats-kv-store.ts (replicas); see
 * docs/adr/0004-state-and-jetstream.md. Methods reject with StateError (src/errors.ts) when
 * the backing storage fails or is unreachable, for a key `stateKey()` could not have produced,
 * and for a value JSON cannot carry; a deleted key reads as absent.
 */
export interface StateStore {
  get<T>(key: string): Promise<StoredValue<T> | undefined>;
  /**
   * Writes `value`. With `expectedRevision`, only if the key is still at that revision
   * (0 = must not exist); otherwise throws StateConflictError. Returns the new revision.
   */
  put<T>(key: string, value: T, expectedRevision?: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix (`submissions.` …). */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export class StateConflictError extends Error {
  readonly key: string;
  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`state key ${key} was changed concurrently`, options);
    this.name = 'StateConflictError';
    this.key = key;
  }
}

/** Builds a store key from parts; each part is encoded so any string is a valid token. */
export function stateKey(...parts: string[]): string {
  let key = '';
  for (let i = 0; i < parts.length; i++) key += (i === 0 ? '' : '.') + encodeToken(parts[i]!);
  return key;
}

const TOKEN = /^[A-Za-z0-9_-]+$/;
/** Encodings are remembered: parts like run configuration keys recur on every event. */
const encodeUnsafe = rememberRecent((part) => '=' + Buffer.from(part, 'utf8').toString('base64url'), 512);

function encodeToken(part: string): string {
  return TOKEN.test(part) ? part : encodeUnsafe(part);
}
