/**
 * The YAML line a field path points at: the line of its key (a mapping entry) or item (a sequence
 * entry). A path into something the file does not contain (a required field that is missing)
 * resolves to its deepest existing ancestor, which is where the field should be added; one that
 * leaves the document at once (a template file's path) resolves to nothing.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './field-path.ts';

export function lineOfPath(
  document: Document.Parsed,
  lineCounter: LineCounter,
  segments: readonly PathSegment[],
): number | undefined {
  let node: unknown = document.contents;
  let offset: number | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  return node !== null && typeof node === 'object' && 'range' in node ? (node as Node).range?.[0] : undefined;
}
