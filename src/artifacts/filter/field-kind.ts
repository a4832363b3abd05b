import { INT64_MAX, INT64_MIN } from './coerce-literal.ts';

/**
 * A metadata value as go-bexpr's reflection sees it after decoding JSON: a whole number that fits
 * int64 is an int64 (JavaScript numbers up to 2^53, and bigints, which keep larger ones exact),
 * any other number a float64. `kind` also names the type in error messages.
 */
export type Field =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'int64'; readonly value: bigint }
  | { readonly kind: 'float64'; readonly value: number }
  | { readonly kind: 'null' }
  | { readonly kind: 'list'; readonly value: readonly unknown[] }
  | { readonly kind: 'object'; readonly value: object }
  | { readonly kind: 'unsupported' };

export function fieldOf(value: unknown): Field {
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? { kind: 'int64', value } : { kind: 'float64', value: Number(value) };
    case 'number':
      return Number.isSafeInteger(value) ? { kind: 'int64', value: BigInt(value) } : { kind: 'float64', value };
    case 'object':
      if (value === null) return { kind: 'null' };
      return Array.isArray(value) ? { kind: 'list', value } : { kind: 'object', value };
    default:
      return { kind: 'unsupported' };
  }
}

/** How a number reads in JSON, which is what go-bexpr compares a list element with. */
export function numberText(value: unknown): string {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}
