/**
 * How both stores turn a value into bytes and back: JSON, the same in a file and in a JetStream KV
 * entry. A value that JSON cannot carry (undefined, a function, a bigint, a cycle) is refused at
 * `put` instead of being stored as something else.
 */
import { StateError } from '../errors.ts';

const JSON_TEXT = Symbol('stateJsonText');

/**
 * A value handed to `put` as the JSON text encodeStateValue made of it already (a record that
 * grows by one field is written again without serializing the rest a second time). Both stores
 * write the text as it is; anything else serializing it gets the value back through toJSON.
 */
export interface StateJsonText {
  readonly [JSON_TEXT]: string;
  toJSON(): unknown;
}

export function stateJsonText(text: string): StateJsonText {
  return { [JSON_TEXT]: text, toJSON: () => JSON.parse(text) as unknown };
}

export function encodeStateValue(key: string, value: unknown): string {
  if (typeof value === 'object' && value !== null && JSON_TEXT in value) return (value as StateJsonText)[JSON_TEXT];
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
