/**
 * The line of a field path, for messages. Over a file read in batches (parseYamlPlain's split),
 * only the part of the file the path points into is parsed again with positions: the batch of
 * run configurations that holds the item, or the rest of the file with the list left out; the
 * line found there is moved by where that part sits in the file. Otherwise, and whenever a part
 * does not parse cleanly on its own, the whole file is (`whole`).
 */
import { lineOfPath } from './line-of-path.ts';
import type { PathSegment } from './field-path.ts';
import { parseConfigYaml, type ParsedConfigYaml } from './parse-config-yaml.ts';
import type { PlainYaml } from './parse-yaml-plain.ts';

export type LineOf = (segments: readonly PathSegment[]) => number | undefined;

export function locateLines(text: string, split: PlainYaml['split'], whole: () => ParsedConfigYaml): LineOf {
  const inWhole: LineOf = (segments) => {
    const yaml = whole();
    return lineOfPath(yaml.document, yaml.lineCounter, segments);
  };
  if (!split) return inWhole;
  const parts = new Map<number, ParsedConfigYaml | undefined>();
  /** The positioned document of text[from, to), undefined when it has YAML problems of its own. */
  const part = (key: number, source: () => string): ParsedConfigYaml | undefined => {
    if (!parts.has(key)) {
      const parsed = parseConfigYaml(source());
      parts.set(key, parsed.issues.length === 0 ? parsed : undefined);
    }
    return parts.get(key);
  };
  const firstLines = new Map<number, number>();
  const keyLine = lineAt(text, split.keyAt);
  const listLines = lineAt(text, split.end) - keyLine - 1;
  return (segments) => {
    const [first, index, ...rest] = segments;
    if (first === 'runConfigurations' && typeof index === 'number') {
      let start = 0;
      for (const [b, count] of split.counts.entries()) {
        if (index < start + count) {
          const [from, to] = split.batches[b]!;
          const batch = part(b, () => text.slice(from, to));
          if (!batch) return inWhole(segments);
          const line = lineOfPath(batch.document, batch.lineCounter, [index - start, ...rest]);
          if (!firstLines.has(b)) firstLines.set(b, lineAt(text, from));
          return line === undefined ? undefined : line + firstLines.get(b)! - 1;
        }
        start += count;
      }
      return inWhole(segments);
    }
    const skeleton = part(-1, () => split.skeleton);
    if (!skeleton) return inWhole(segments);
    const line = lineOfPath(skeleton.document, skeleton.lineCounter, segments);
    return line === undefined || line <= keyLine ? line : line + listLines;
  };
}

/** The 1-based line of an offset. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}
