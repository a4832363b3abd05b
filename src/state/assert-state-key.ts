import { StateError } from '../errors.ts';

/** `.`-separated tokens of [A-Za-z0-9_=-], the alphabet `stateKey()` produces and JetStream accepts. */
const KEY = /^[A-Za-z0-9_=-]+(?:\.[A-Za-z0-9_=-]+)*$/;

export function isStateKey(key: string): boolean {
  return KEY.test(key);
}

/** Throws StateError for a key that `stateKey()` could not have produced (no `/`, `..`, spaces, wildcards). */
export function assertStateKey(key: string): void {
  if (!KEY.test(key)) throw new StateError(`invalid state key ${JSON.stringify(key)}: build keys with stateKey()`);
}
