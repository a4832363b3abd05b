/**
 * Makes any string usable as a Kubernetes label value. A valid value (a GitHub delivery GUID, a
 * branch like `main`) is kept as is; anything else is shaped (invalid runs → '-', trimmed) and
 * suffixed with a hash of the original, so two different inputs never collapse into one label.
 */
import { isLabelValue } from './kubernetes-names.ts';
import { shortHash } from './short-hash.ts';

const HASH_LENGTH = 10;
const SHAPED_MAX = 63 - HASH_LENGTH - 1;
const INVALID_RUN = /[^A-Za-z0-9_.-]+/g;
const EDGE_NON_ALNUM = /^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g;

/**
 * Shaped values of recent inputs: an event id that is not a label value (a completion's
 * `<run>:<status>`) is asked for by every run the event starts. Two generations: when the current
 * one is full it becomes the previous one, so recurring inputs stay and one-off ones age out.
 */
const GENERATION_MAX = 1024;
let current = new Map<string, string>();
let previous = new Map<string, string>();

export function labelSafe(value: string): string {
  if (isLabelValue(value)) return value;
  let safe = current.get(value);
  if (safe !== undefined) return safe;
  safe = previous.get(value) ?? shape(value);
  if (current.size >= GENERATION_MAX) {
    previous = current;
    current = new Map();
  }
  current.set(value, safe);
  return safe;
}

function shape(value: string): string {
  const hash = shortHash(value, HASH_LENGTH);
  const shaped = value.replace(INVALID_RUN, '-').replace(EDGE_NON_ALNUM, '');
  const cut = shaped.slice(0, SHAPED_MAX).replace(EDGE_NON_ALNUM, '');
  return cut === '' ? hash : `${cut}-${hash}`;
}
