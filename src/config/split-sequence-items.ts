/**
 * Finds the block sequence under a top-level key (`runConfigurations:` alone on its line, at
 * column 0) and where each of its items starts, so that a long list can be parsed a batch of items
 * at a time. Only line starts are looked at: an item starts at a `- ` at the sequence's own
 * indentation, and the sequence ends at the first line indented less that is not blank or a
 * comment. Anything else is left to the items' own parse, which fails (and the caller parses the
 * whole text) when a cut falls inside a construct.
 */
export interface SequenceItems {
  /** The text with the sequence's items removed and its key written as `key: []`. */
  readonly skeleton: string;
  /** Where the key's line starts in the text, and where the sequence ends. */
  readonly keyAt: number;
  readonly end: number;
  /** Offsets in the text where the items' text starts and ends, batches of about `batchBytes`. */
  readonly batches: readonly (readonly [number, number])[];
}

export function splitSequenceItems(text: string, key: string, batchBytes: number): SequenceItems | undefined {
  const keyLine = new RegExp(`^${key}:[ \\t]*(?:#.*)?\\r?$`, 'gm');
  const found = keyLine.exec(text);
  if (!found || keyLine.exec(text)) return undefined;
  const keyEnd = found.index + found[0].length;
  let indent = -1;
  let first = -1;
  let end = text.length;
  const starts: number[] = [];
  for (let at = keyEnd + 1; at < text.length; ) {
    const next = text.indexOf('\n', at);
    const lineEnd = next === -1 ? text.length : next;
    let spaces = 0;
    while (text.charCodeAt(at + spaces) === 32) spaces++;
    const c = text[at + spaces];
    const blank = at + spaces >= lineEnd || c === '#' || c === '\r';
    if (!blank) {
      if (indent === -1) {
        if (!isItemStart(text, at + spaces)) return undefined;
        indent = spaces;
        first = at;
      }
      if (spaces < indent || (spaces === indent && !isItemStart(text, at + spaces))) {
        end = at;
        break;
      }
      if (spaces === indent) starts.push(at);
    }
    at = lineEnd + 1;
  }
  if (first === -1) return undefined;
  const batches: [number, number][] = [];
  let from = first;
  for (const start of starts) {
    if (start - from >= batchBytes) {
      batches.push([from, start]);
      from = start;
    }
  }
  batches.push([from, end]);
  return { skeleton: `${text.slice(0, found.index)}${key}: []\n${text.slice(end)}`, keyAt: found.index, end, batches };
}

/** `-` followed by a space, a tab or the end of the line. */
function isItemStart(text: string, at: number): boolean {
  if (text[at] !== '-') return false;
  const after = text[at + 1];
  return after === undefined || after === ' ' || after === '\t' || after === '\n' || after === '\r';
}
