/**
 * The deterministic name of the run one event starts for one run configuration. The same event
 * delivered twice yields the same name, so the API server itself refuses the duplicate (409) even
 * if the state store lost the first submission.
 */
import { dns1123Label, DNS1123_LABEL_MAX } from './dns1123-label.ts';
import { rememberRecent } from '../remember-recent.ts';
import { shortHash } from './short-hash.ts';

const HASH_LENGTH = 10;
const PREFIX_MAX = DNS1123_LABEL_MAX - HASH_LENGTH - 1;

/**
 * Hashes of recent (run configuration, event) pairs are remembered: each run's name is asked for
 * more than once (by the dispatcher, then when the rendered run takes its name).
 */
const identityHash = rememberRecent((identity) => shortHash(identity, HASH_LENGTH), 1024);

/** `<prefix shaped to a DNS-1123 label, ≤ 52>-<10 hex of sha256(rcKey + "\n" + eventId)>`, ≤ 63 characters. */
export function runName(prefix: string, runConfigurationKey: string, eventId: string): string {
  return `${dns1123Label(prefix, PREFIX_MAX)}-${identityHash(`${runConfigurationKey}\n${eventId}`)}`;
}
