/**
 * The deterministic names of the run one event starts for one run configuration. The same event
 * delivered twice yields the same name, so the API server itself refuses the duplicate (409) even
 * if the state store lost the first submission.
 *
 * A run's identity is computed once, by the dispatcher's per-run pipeline, and passed to every
 * step that names the run: the dedupe lookup, the template context's `name`, and a template's
 * `generateName`.
 */
import { dns1123Label, DNS1123_LABEL_MAX } from './dns1123-label.ts';
import { shortHash } from './short-hash.ts';

const HASH_LENGTH = 10;
const PREFIX_MAX = DNS1123_LABEL_MAX - HASH_LENGTH - 1;

/** The suffix of every name runbridge gives the run: 10 hex of sha256(rcKey + "\n" + eventId). */
export function runIdentity(runConfigurationKey: string, eventId: string): string {
  return shortHash(`${runConfigurationKey}\n${eventId}`, HASH_LENGTH);
}

/** `<prefix shaped to a DNS-1123 label, ≤ 52>-<identity>`, ≤ 63 characters. */
export function runName(prefix: string, identity: string): string {
  return `${dns1123Label(prefix, PREFIX_MAX)}-${identity}`;
}
