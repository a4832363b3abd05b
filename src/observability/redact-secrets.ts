/**
 * Log redaction by key, the same rule wherever a line comes from: a key named like a secret, at
 * the top level or up to two levels down (`token`, `nats.token`, `config.nats.token`), and a
 * secret header in a `headers` object at any of those levels (`headers`, `req.headers`,
 * `a.b.headers`) have their value replaced by the censor. Anything else is returned as it is, the
 * same object: a line without a secret key costs one pass over its few top-level keys and allocates
 * nothing. Objects are never changed in place; a copy is made along the path to a secret only.
 */

export interface SecretRules {
  /** Keys whose value is a secret wherever they are (up to two levels down). */
  readonly keys: readonly string[];
  /** Header names (as Node lowercases them) whose value is a secret, inside a `headers` object. */
  readonly headers: readonly string[];
  readonly censor: string;
}

/** Levels below the top one that are searched, like the `*.*.key` path. */
const MAX_DEPTH = 2;
const HEADERS = 'headers';

export function createRedactor(rules: SecretRules): <T>(value: T) => T {
  const keys = new Set(rules.keys);
  const headers = new Set(rules.headers);
  const { censor } = rules;

  const redactHeaders = (value: unknown): unknown => {
    if (!isWalkable(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      if (!headers.has(key) || (value as Record<string, unknown>)[key] === undefined) continue;
      copy ??= copyOf(value);
      copy[key] = censor;
    }
    return copy ?? value;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (!isWalkable(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      let next = child;
      if (keys.has(key)) {
        if (child !== undefined) next = censor;
      } else if (typeof child === 'object' && child !== null) {
        next = key === HEADERS ? redactHeaders(child) : child;
        if (depth < MAX_DEPTH) next = walk(next, depth + 1);
      }
      if (next === child) continue;
      copy ??= copyOf(value);
      copy[key] = next;
    }
    return copy ?? value;
  };

  return <T>(value: T): T => walk(value, 0) as T;
}

/** Plain objects, arrays and errors: what a log line is made of. Buffers, dates, maps are left alone. */
function isWalkable(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value) || value instanceof Error) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A shallow copy that still serializes as the original did (an error stays an error). */
function copyOf(value: object): Record<string, unknown> {
  if (Array.isArray(value)) return [...value] as unknown as Record<string, unknown>;
  if (value instanceof Error) {
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    for (const key of ['message', 'stack', 'cause'] as const) {
      if (Object.hasOwn(value, key)) Object.defineProperty(copy, key, { value: (value as unknown as Record<string, unknown>)[key], enumerable: false, writable: true, configurable: true });
    }
    return Object.assign(copy, value);
  }
  return { ...(value as Record<string, unknown>) };
}
