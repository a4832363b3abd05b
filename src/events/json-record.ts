/**
 * Reading attacker-controlled JSON without trusting its shape: only own properties are read, so a
 * `__proto__` or `constructor` key is data, never a way into the prototype chain.
 */
export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `value`, or undefined when `value` is not an object or lacks it. */
export function ownField(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}
