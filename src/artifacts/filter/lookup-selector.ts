import { coerceInt64 } from './coerce-literal.ts';
import type { Selector } from './filter-ast.ts';

/**
 * Reads a selector's path out of artifact metadata the way go-bexpr reads a Go map through
 * pointerstructure, with own properties only: nothing is ever read from a prototype, so
 * `constructor` or `"/__proto__"` select nothing unless the metadata itself has such a key.
 *
 * - `found`: the value (possibly null).
 * - `absent`: the last key is missing from an object that is not the root (go-bexpr ≥ 0.1.12 answers
 *   with the operator's "not present" disposition: `==` false, `!=` true, `is empty` true, …).
 * - `failure`: anything else go-bexpr reports as an error (a missing top-level key included).
 *
 * A list index is read as pointerstructure converts it (mapstructure's weak decoding:
 * strconv.ParseInt(part, 0, 64), the empty string as 0), so `list.010` is element 8 and
 * `list["0x1"]` element 1.
 */
export type Lookup =
  | { readonly kind: 'found'; readonly value: unknown }
  | { readonly kind: 'absent' }
  | { readonly kind: 'failure'; readonly failure: string };

export function lookupSelector(selector: Selector, metadata: unknown): Lookup {
  let current: unknown = metadata;
  for (const [depth, part] of selector.path.entries()) {
    const where = (): string => selector.path.slice(0, depth + 1).join('.');
    if (Array.isArray(current)) {
      const index = coerceInt64(part === '' ? '0' : part);
      if (!('value' in index)) return { kind: 'failure', failure: `${where()}: ${JSON.stringify(part)} is not a list index` };
      if (index.value < 0n || index.value >= BigInt(current.length)) {
        return { kind: 'failure', failure: `${where()}: index ${index.value} out of range (${current.length} items)` };
      }
      current = current[Number(index.value)];
    } else if (isObject(current)) {
      const descriptor = Object.getOwnPropertyDescriptor(current, part);
      if (descriptor === undefined || !('value' in descriptor) || descriptor.value === undefined) {
        return depth > 0 && depth === selector.path.length - 1
          ? { kind: 'absent' }
          : { kind: 'failure', failure: `no field ${where()}` };
      }
      current = descriptor.value;
    } else {
      return { kind: 'failure', failure: `${where()}: cannot select ${JSON.stringify(part)} from ${typeName(current)}` };
    }
  }
  return { kind: 'found', value: current };
}

export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
