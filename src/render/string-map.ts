/**
 * Label and annotation maps: read what a template rendered, check every key and value (naming the
 * offending entry), and merge layers (later wins).
 */
import { RenderError } from '../errors.ts';
import { isLabelValue, isQualifiedName } from './kubernetes-names.ts';

/** Kubernetes' limit on the total size of an object's annotations. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

type Entries = readonly (readonly [string, string])[];

/** A rendered `metadata.labels`/`annotations`: absent → none; numbers and booleans become text. */
export function readStringMap(value: unknown, field: string): [string, string][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) throw new RenderError(`${field} must be a mapping`);
  return Object.entries(value).map(([key, v]) => {
    if (typeof v === 'string') return [key, v];
    if (typeof v === 'number' || typeof v === 'boolean') return [key, String(v)];
    throw new RenderError(`${field}[${JSON.stringify(key)}] must be text, not ${v === null ? 'empty' : typeof v}`);
  });
}

/** Later layers win. Built with Object.fromEntries, so no key can reach a prototype. */
export function mergeStringMaps(layers: readonly Entries[]): Record<string, string> {
  const merged = new Map<string, string>();
  for (const layer of layers) for (const [key, value] of layer) merged.set(key, value);
  return Object.fromEntries(merged);
}

export function checkLabels(entries: Entries): void {
  for (const [key, value] of entries) {
    if (!isQualifiedName(key)) throw new RenderError(`label ${JSON.stringify(key)}: not a valid label key ([prefix/]name, name ≤ 63 characters)`);
    if (!isLabelValue(value)) {
      const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
      throw new RenderError(
        `label ${JSON.stringify(key)}: ${JSON.stringify(shown)} is not a valid label value (≤ 63 characters of A-Z a-z 0-9 - _ ., alphanumeric at both ends); use {{labelValue …}}`,
      );
    }
  }
}

export function checkAnnotationKeys(entries: Entries): void {
  for (const [key] of entries) {
    if (!isQualifiedName(key)) throw new RenderError(`annotation ${JSON.stringify(key)}: not a valid annotation key ([prefix/]name, name ≤ 63 characters)`);
  }
}

export function checkAnnotationsSize(annotations: Readonly<Record<string, string>>): void {
  let units = 0;
  for (const [key, value] of Object.entries(annotations)) units += key.length + value.length;
  if (units * 3 <= ANNOTATIONS_MAX_BYTES) return; // UTF-8 needs at most 3 bytes per UTF-16 unit
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (bytes > ANNOTATIONS_MAX_BYTES) throw new RenderError(`annotations total ${bytes} bytes, more than Kubernetes accepts (${ANNOTATIONS_MAX_BYTES})`);
}
