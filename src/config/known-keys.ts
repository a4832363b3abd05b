/**
 * The field names a schema accepts at a path, for "did you mean" hints on unknown fields. Walks
 * zod's public schema definitions (`_zod.def`) through arrays, records, defaults, optionals and
 * unions; a union contributes the keys of every option.
 */
import type { z } from 'zod';
import type { PathSegment } from './field-path.ts';

interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, Walkable>>;
  readonly element?: Walkable;
  readonly innerType?: Walkable;
  readonly options?: readonly Walkable[];
  readonly valueType?: Walkable;
  readonly in?: Walkable;
}
interface Walkable {
  readonly _zod: { readonly def: unknown };
}

export function knownKeys(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  collect(schema, path, keys);
  return [...keys];
}

function collect(schema: Walkable, path: readonly PathSegment[], keys: Set<string>): void {
  const def = schema._zod.def as Def;
  const [head, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      if (def.innerType) collect(def.innerType, path, keys);
      return;
    case 'pipe':
      if (def.in) collect(def.in, path, keys);
      return;
    case 'union':
      for (const option of def.options ?? []) collect(option, path, keys);
      return;
    case 'array':
      if (typeof head === 'number' && def.element) collect(def.element, rest, keys);
      return;
    case 'record':
      if (head !== undefined && def.valueType) collect(def.valueType, rest, keys);
      return;
    case 'object': {
      const shape = def.shape ?? {};
      if (head === undefined) for (const key of Object.keys(shape)) keys.add(key);
      else if (typeof head === 'string' && Object.hasOwn(shape, head)) collect(shape[head] as Walkable, rest, keys);
      return;
    }
    default:
      return;
  }
}

/** The known key closest to `key` (case-insensitive equality or a small edit distance), if any. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) {
      best = { key: candidate, distance };
    }
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
