/**
 * Builds objects with optional fields under exactOptionalPropertyTypes: fields whose value is
 * `undefined` are left out, so `has(git.tag)` in CEL and `in` checks see only what is there.
 */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

export type Loose<T> = Omit<T, OptionalKeys<T>> & { [K in OptionalKeys<T>]?: T[K] | undefined };

export function withoutUndefined<T extends object>(value: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) out[key] = field;
  return out as T;
}
