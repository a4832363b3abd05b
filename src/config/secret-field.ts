/**
 * Whether a field path lies at or under a secret field of the schema: a field whose schema is
 * `secretSourceSchema` (`<forge>.secrets[0]`, `api.token`, `nats.password`, …, and any secret field
 * added later). What the user wrote there may be the secret itself, written inline by mistake, so
 * messages about it describe its kind, never its value. Walks zod's public schema definitions like
 * known-keys.ts.
 */
import type { z } from 'zod';
import type { PathSegment } from './field-path.ts';
import { secretSourceSchema } from './schema.ts';

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

export function isSecretField(schema: z.ZodType, path: readonly PathSegment[]): boolean {
  return reaches(schema, path);
}

function reaches(schema: Walkable, path: readonly PathSegment[]): boolean {
  if (schema === secretSourceSchema) return true;
  const def = schema._zod.def as Def;
  const [head, ...rest] = path;
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
      return def.innerType !== undefined && reaches(def.innerType, path);
    case 'pipe':
      return def.in !== undefined && reaches(def.in, path);
    case 'union':
      return (def.options ?? []).some((option) => reaches(option, path));
    case 'array':
      return typeof head === 'number' && def.element !== undefined && reaches(def.element, rest);
    case 'record':
      return head !== undefined && def.valueType !== undefined && reaches(def.valueType, rest);
    case 'object': {
      const shape = def.shape ?? {};
      return typeof head === 'string' && Object.hasOwn(shape, head) && reaches(shape[head] as Walkable, rest);
    }
    default:
      return false;
  }
}
