/**
 * Makes any string usable as a Kubernetes label value. A valid value (a forge's delivery GUID, a
 * branch like `main`) is kept as is; anything else is shaped (invalid runs → '-', trimmed) and
 * suffixed with a hash of the original, so two different inputs never collapse into one label.
 */
import { isLabelValue } from './kubernetes-names.ts';
import { rememberRecent } from '../remember-recent.ts';
import { shortHash } from './short-hash.ts';

const HASH_LENGTH = 10;
const SHAPED_MAX = 63 - HASH_LENGTH - 1;
const INVALID_RUN = /[^A-Za-z0-9_.-]+/g;
const EDGE_NON_ALNUM = /^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g;

/**
 * Shaped values of recent inputs are remembered: an event id that is not a label value (a
 * completion's `<run>:<status>`) is asked for by every run the event starts.
 */
const shapeRemembered = rememberRecent((value) => shape(value), 1024);

export function labelSafe(value: string): string {
  return isLabelValue(value) ? value : shapeRemembered(value);
}

function shape(value: string): string {
  const hash = shortHash(value, HASH_LENGTH);
  const shaped = value.replace(INVALID_RUN, '-').replace(EDGE_NON_ALNUM, '');
  const cut = shaped.slice(0, SHAPED_MAX).replace(EDGE_NON_ALNUM, '');
  return cut === '' ? hash : `${cut}-${hash}`;
}
