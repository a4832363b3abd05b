/**
 * YAML text → plain value, keeping the document and a line counter so later problems can be
 * located. Syntax errors, duplicate keys, unknown tags and broken aliases are all reported (as
 * `line N, col M: …`), never thrown.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from '../errors.ts';

export interface ParsedConfigYaml {
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain value; undefined when there were issues. */
  readonly value: unknown;
  readonly issues: ConfigIssue[];
}

export function parseConfigYaml(text: string): ParsedConfigYaml {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, lineCounter, prettyErrors: false });
  const issues: ConfigIssue[] = [...document.errors, ...document.warnings].map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const key = error.code === 'DUPLICATE_KEY' ? ` (${keyAt(text, error.pos[0])})` : '';
    return { path: '', message: `line ${line}, col ${col}: ${error.message}${key}` };
  });
  if (issues.length > 0) return { document, lineCounter, value: undefined, issues };
  try {
    return { document, lineCounter, value: document.toJS({ maxAliasCount: 100 }), issues };
  } catch (error) {
    // Unresolved aliases and alias bombs surface only when the document is converted.
    const message = error instanceof Error ? error.message : String(error);
    return { document, lineCounter, value: undefined, issues: [{ path: '', message: `YAML: ${message}` }] };
  }
}

/** The key written at `offset` (yaml reports only where a duplicate key starts). */
function keyAt(text: string, offset: number): string {
  const key = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:\n]+?)\s*:/.exec(text.slice(offset))?.[1]?.trim() ?? text.slice(offset, offset + 1);
  return /^["']/.test(key) ? key : JSON.stringify(key);
}
