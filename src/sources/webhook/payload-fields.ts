/**
 * Typed reads of a forge's payload fields by path, with MalformedEventError messages that name the
 * forge, the event and the field (`gitlab Push Hook payload has no project.path_with_namespace`).
 *
 *   const read = payloadFields('gitlab', 'Push Hook');
 *   const ref = read.string(payload, ['ref']);
 */
import { MalformedEventError } from '../../errors.ts';
import { ownField } from '../../events/json-record.ts';

export function fieldAt(payload: unknown, path: readonly string[]): unknown {
  let value = payload;
  for (const key of path) value = ownField(value, key);
  return value;
}

export interface PayloadFields {
  string(payload: unknown, path: readonly string[]): string;
  integer(payload: unknown, path: readonly string[]): number;
  optionalString(payload: unknown, path: readonly string[]): string | undefined;
  optionalInteger(payload: unknown, path: readonly string[]): number | undefined;
  flag(payload: unknown, path: readonly string[]): boolean;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function payloadFields(forge: string, event: string): PayloadFields {
  const fail = (path: readonly string[], value: unknown, expected: string): never => {
    const field = path.join('.');
    if (value === undefined) throw new MalformedEventError(`${forge} ${event} payload has no ${field} (${expected} expected)`);
    throw new MalformedEventError(`${forge} ${event} payload: ${field} is ${describe(value)}, ${expected} expected`);
  };
  return {
    string(payload, path) {
      const value = fieldAt(payload, path);
      return typeof value === 'string' && value !== '' ? value : fail(path, value, 'a non-empty string');
    },
    integer(payload, path) {
      const value = fieldAt(payload, path);
      return Number.isSafeInteger(value) ? (value as number) : fail(path, value, 'an integer');
    },
    optionalString(payload, path) {
      const value = fieldAt(payload, path);
      return typeof value === 'string' ? value : undefined;
    },
    optionalInteger(payload, path) {
      const value = fieldAt(payload, path);
      return Number.isSafeInteger(value) ? (value as number) : undefined;
    },
    flag: (payload, path) => fieldAt(payload, path) === true,
  };
}
