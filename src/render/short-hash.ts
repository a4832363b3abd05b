import { hash } from 'node:crypto';

/** The first `length` hex digits of the SHA-256 of `value`: a stable, name-safe fingerprint. */
export function shortHash(value: string, length = 10): string {
  return hash('sha256', value, 'hex').slice(0, length);
}
