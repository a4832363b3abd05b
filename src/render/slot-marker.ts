/**
 * Value slots. While a template renders, every `{{expression}}` emits a marker instead of its
 * value: `rbslot<nonce>n<index>x`, where the nonce is fresh and unguessable for each render and the
 * whole marker is `[a-z0-9]`, so YAML reads it as a plain word wherever it stands. The values
 * themselves never enter the rendered text; they are set into the parsed tree afterwards.
 *
 * Template sources may not contain `rbslot` at all (checked at compile time), so in rendered text
 * every `rbslot` must start a marker carrying this render's nonce; anything else means text from
 * outside the template reached the output, and the render is refused.
 */
import { randomUUID } from 'node:crypto';

export const SLOT_PREFIX = 'rbslot';
/** The nonce-free marker start of canonical text (`rbslotn<index>x`), which is what gets parsed. */
export const CANONICAL_MARKER = `${SLOT_PREFIX}n`;
export const MARKER_END = 'x';

/** A fresh marker start for one render: `rbslot` + 32 random hex digits + `n`. */
export function newSlotMarker(): string {
  const u = randomUUID(); // 8-4-4-4-12 hex digits, from a CSPRNG
  return `${SLOT_PREFIX}${u.slice(0, 8)}${u.slice(9, 13)}${u.slice(14, 18)}${u.slice(19, 23)}${u.slice(24)}n`;
}

/**
 * How many `rbslot` occur in canonical text. Checked once per distinct text (when its skeleton is
 * made): it must equal the number of markers the render emitted, so any `rbslot` this render did
 * not emit (text from outside the template) fails the render.
 */
export function countSlotPrefixes(canonical: string): number {
  let count = 0;
  for (let at = canonical.indexOf(SLOT_PREFIX); at !== -1; at = canonical.indexOf(SLOT_PREFIX, at + SLOT_PREFIX.length)) count++;
  return count;
}
