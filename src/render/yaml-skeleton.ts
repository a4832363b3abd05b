/**
 * Parses canonical rendered text (markers `rbslotn<index>x`, see slot-marker.ts) once into a
 * skeleton: the manifest's structure with every string that holds markers split into literal
 * parts and slot indexes. Filling a skeleton with a render's values (build-from-skeleton.ts) never
 * reads the values as YAML or as markers, so no value can change the structure.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { RenderError } from '../errors.ts';
import { CANONICAL_MARKER, MARKER_END } from './slot-marker.ts';

export type Skeleton =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null }
  /** A scalar that is exactly one slot: it takes the value's own type. */
  | { readonly kind: 'slot'; readonly index: number }
  /** A string of literal parts and slot indexes. */
  | { readonly kind: 'text'; readonly parts: readonly (string | number)[] }
  | {
      readonly kind: 'map';
      readonly keys: readonly Skeleton[];
      readonly values: readonly Skeleton[];
      /** The keys when all are template text (none filled from a value, none `__proto__`). */
      readonly staticKeys: readonly string[] | undefined;
    }
  | { readonly kind: 'seq'; readonly items: readonly Skeleton[] };

/** A generous bound on nodes (after alias expansion), so an alias bomb in a template fails fast. */
const MAX_NODES = 50_000;

export function toSkeleton(canonicalText: string): Skeleton {
  const doc = parseDocument(canonicalText, { version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: true, strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const message = problem.code === 'MULTIPLE_DOCS' ? 'the template renders more than one YAML document' : problem.message;
    throw new RenderError(`the rendered text is not one valid YAML document: ${message}`);
  }
  if (!isMap(doc.contents)) throw new RenderError('the template must render one YAML mapping (a Kubernetes object)');
  let budget = MAX_NODES;
  const convert = (node: unknown): Skeleton => {
    if (--budget < 0) throw new RenderError(`the rendered manifest has more than ${MAX_NODES} nodes`);
    if (node === null || node === undefined) return { kind: 'literal', value: null };
    if (isAlias(node)) return convert(node.resolve(doc as Document));
    if (isScalar(node)) return scalar(node.value);
    if (isSeq(node)) return { kind: 'seq', items: node.items.map(convert) };
    if (isMap(node)) {
      const keys: Skeleton[] = [];
      const values: Skeleton[] = [];
      for (const pair of node.items) {
        if (pair.key !== null && !isScalar(pair.key)) throw new RenderError('mapping keys must be plain text, not collections');
        keys.push(convert(pair.key));
        values.push(convert(pair.value));
      }
      const texts = keys.map((k) => (k.kind === 'literal' ? String(k.value ?? '') : undefined));
      const staticKeys = texts.every((k) => k !== undefined && k !== '__proto__') ? (texts as string[]) : undefined;
      return { kind: 'map', keys, values, staticKeys };
    }
    throw new RenderError('the rendered YAML holds a node runbridge cannot represent');
  };
  return convert(doc.contents);
}

function scalar(value: unknown): Skeleton {
  if (typeof value === 'string') return text(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value };
  if (typeof value === 'bigint') return { kind: 'literal', value: String(value) };
  throw new RenderError(`the rendered YAML holds a ${typeof value} scalar runbridge cannot represent`);
}

function text(s: string): Skeleton {
  let at = s.indexOf(CANONICAL_MARKER);
  if (at === -1) return { kind: 'literal', value: s };
  const parts: (string | number)[] = [];
  let from = 0;
  while (at !== -1) {
    const digits = at + CANONICAL_MARKER.length;
    const end = s.indexOf(MARKER_END, digits);
    const index = end > digits ? Number(s.slice(digits, end)) : Number.NaN;
    if (!Number.isSafeInteger(index) || !/^\d+$/.test(s.slice(digits, end))) {
      throw new RenderError('the rendered YAML holds a malformed slot marker');
    }
    if (at > from) parts.push(s.slice(from, at));
    parts.push(index);
    from = end + MARKER_END.length;
    at = s.indexOf(CANONICAL_MARKER, from);
  }
  if (from < s.length) parts.push(s.slice(from));
  const [only] = parts;
  return parts.length === 1 && typeof only === 'number' ? { kind: 'slot', index: only } : { kind: 'text', parts };
}
