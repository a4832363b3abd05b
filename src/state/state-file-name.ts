/**
 * The file that holds a key in the file store: the key itself, which is already a safe file name
 * (`assertStateKey`). Keys longer than a file name may be (255 bytes on common file systems) keep
 * their first characters and get a hash after a `~`, a character keys never contain; such a file
 * names its key inside (`StateRecord.key`).
 */
import { createHash } from 'node:crypto';

export const MAX_PLAIN_NAME = 200;
const VISIBLE = 160;

export function stateFileName(key: string): string {
  if (key.length <= MAX_PLAIN_NAME) return key;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return `${key.slice(0, VISIBLE)}~${hash}`;
}

/** The part of the key a file name shows: all of it, or the characters before `~`. */
export function visibleKeyPart(fileName: string): { text: string; complete: boolean } {
  const cut = fileName.indexOf('~');
  return cut === -1 ? { text: fileName, complete: true } : { text: fileName.slice(0, cut), complete: false };
}
