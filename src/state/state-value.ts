/**
 * How both stores turn a value into bytes and back: JSON, the same in a file and in a JetStream KV
 * entry. A value that JSON cannot carry (undefined, a function, a bigint, a cycle) is refused at
 * `put` instead of being stored as something else.
 */
import { StateError } from '../errors.ts';

export function encodeStateValue(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StateError(`state key ${key}: value is not JSON-serializable: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new StateError(`state key ${key}: value ${typeof value} is not JSON-serializable`);
  return text;
}

export function decodeStateValue<T>(where: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StateError(`${where} does not hold valid JSON: ${(error as Error).message}`, { cause: error });
  }
}
