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
import { RenderError } from '../errors.ts';

export const SLOT_PREFIX = 'rbslot';
/** The nonce-free marker start of canonical text: `rbslotn<index>x`. */
export const CANONICAL_MARKER = `${SLOT_PREFIX}n`;
export const MARKER_END = 'x';

/** A fresh marker start for one render: `rbslot` + 32 random hex digits + `n`. */
export function newSlotMarker(): string {
  return `${SLOT_PREFIX}${randomUUID().replaceAll('-', '')}n`;
}

/**
 * The rendered text with this render's nonce taken out of every marker, so that renders with the
 * same structure give the same text (and share one parsed skeleton). `markers` is how many markers
 * this render emitted (each one lands in the text); throws unless exactly those were replaced.
 */
export function canonicalSlotText(text: string, marker: string, markers: number): string {
  if (markers === 0) return text;
  const canonical = text.replaceAll(marker, CANONICAL_MARKER);
  if (text.length - canonical.length !== markers * (marker.length - CANONICAL_MARKER.length)) {
    throw new RenderError('the rendered text does not hold the slot markers this render emitted');
  }
  return canonical;
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
