/**
 * Typed reads of GitHub payload fields by path, with MalformedEventError messages that name the
 * delivery's event and the exact field (`github push payload has no repository.full_name`).
 */
import { MalformedEventError } from '../../errors.ts';
import { ownField } from '../../events/json-record.ts';

export function fieldAt(payload: unknown, path: readonly string[]): unknown {
  let value = payload;
  for (const key of path) value = ownField(value, key);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function required<T>(
  payload: unknown,
  path: readonly string[],
  event: string,
  expected: string,
  accept: (value: unknown) => value is T,
): T {
  const value = fieldAt(payload, path);
  if (accept(value)) return value;
  const field = path.join('.');
  if (value === undefined) throw new MalformedEventError(`github ${event} payload has no ${field} (${expected} expected)`);
  throw new MalformedEventError(`github ${event} payload: ${field} is ${describe(value)}, ${expected} expected`);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);

export function requiredString(payload: unknown, path: readonly string[], event: string): string {
  return required(payload, path, event, 'a non-empty string', isNonEmptyString);
}

export function requiredInteger(payload: unknown, path: readonly string[], event: string): number {
  return required(payload, path, event, 'an integer', isInteger);
}

export function optionalString(payload: unknown, path: readonly string[]): string | undefined {
  const value = fieldAt(payload, path);
  return isString(value) ? value : undefined;
}

export function optionalBoolean(payload: unknown, path: readonly string[]): boolean {
  return fieldAt(payload, path) === true;
}
