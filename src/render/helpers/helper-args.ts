/**
 * Argument handling shared by the template helpers. Handlebars passes its options object as the
 * last argument of every helper call; helpers only look at what comes before it.
 */
import { RenderError } from '../../errors.ts';

export type TemplateHelper = (...args: unknown[]) => unknown;

/** The arguments the template author wrote (everything but Handlebars' trailing options object). */
export function positional(args: readonly unknown[]): unknown[] {
  return args.slice(0, -1);
}

/** A scalar as text: null/undefined → '', numbers and booleans as written; anything else is an error. */
export function text(value: unknown, helper: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw new RenderError(`helper ${helper}: expected a text value, got ${Array.isArray(value) ? 'a list' : typeof value}`);
}

/** A count argument: a non-negative integer, written as a number or as digits. */
export function count(value: unknown, helper: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new RenderError(`helper ${helper}: expected a non-negative integer, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return n;
}

/** Truthiness as `{{#if}}` sees it: '', 0, false, null, undefined, NaN and [] are false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}
