/**
 * Remembers the parsed skeleton of each distinct rendered structure of one template, so YAML is
 * parsed only when a render takes a path through the template that has not been seen before.
 *
 * Split at this render's marker, a rendered text is `segment0`, then one piece per slot in index
 * order: `<index>x segment`. The segments come from the template alone, so two renders with equal
 * pieces have the same structure. Comparing pieces (one native split, then short string
 * comparisons) avoids building or hashing a canonical copy of the text on every render.
 */
import { RenderError } from '../errors.ts';
import { CANONICAL_MARKER, countSlotPrefixes, MARKER_END } from './slot-marker.ts';
import { toSkeleton, type Skeleton } from './yaml-skeleton.ts';

/** Texts longer than this (a template looping over a huge list) are parsed each time, not kept. */
const MAX_REMEMBERED_LENGTH = 64 * 1024;

interface Shape {
  readonly length: number;
  readonly pieces: readonly string[];
  readonly skeleton: Skeleton;
}

export class ShapeCache {
  readonly #byLength = new Map<number, Shape[]>();
  readonly #order: Shape[] = [];
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The skeleton for this render's text: from the cache, or parsed once and remembered. */
  skeletonOf(text: string, marker: string, markers: number): Skeleton {
    const pieces = text.split(marker);
    // Every emitted marker lands in the text exactly once, and no other text can hold this nonce.
    if (pieces.length !== markers + 1) {
      throw new RenderError('the rendered text does not hold the slot markers this render emitted');
    }
    for (const shape of this.#byLength.get(text.length) ?? []) {
      if (samePieces(shape.pieces, pieces)) return shape.skeleton;
    }
    const shape: Shape = { length: text.length, pieces, skeleton: parse(pieces) };
    if (text.length <= MAX_REMEMBERED_LENGTH) this.#remember(shape);
    return shape.skeleton;
  }

  get size(): number {
    return this.#order.length;
  }

  #remember(shape: Shape): void {
    if (this.#order.length >= this.#capacity) {
      const oldest = this.#order.shift();
      const bucket = oldest && this.#byLength.get(oldest.length);
      if (oldest && bucket) {
        bucket.splice(bucket.indexOf(oldest), 1);
        if (bucket.length === 0) this.#byLength.delete(oldest.length);
      }
    }
    this.#order.push(shape);
    const bucket = this.#byLength.get(shape.length);
    if (bucket) bucket.push(shape);
    else this.#byLength.set(shape.length, [shape]);
  }
}

function samePieces(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Checks that the markers came in index order and that no `rbslot` other than this render's
 * markers is in the text, then parses the canonical text (markers without the nonce).
 */
function parse(pieces: readonly string[]): Skeleton {
  for (let i = 1; i < pieces.length; i++) {
    if (!(pieces[i] as string).startsWith(`${i - 1}${MARKER_END}`)) {
      throw new RenderError('the rendered text holds the slot markers out of order');
    }
  }
  const canonical = pieces.join(CANONICAL_MARKER);
  if (countSlotPrefixes(canonical) !== pieces.length - 1) {
    throw new RenderError('the rendered text contains a slot marker that this render did not emit');
  }
  return toSkeleton(canonical);
}
