/**
 * Label and annotation maps: read what a template rendered, check every key and value (naming the
 * offending entry), and merge layers (later wins).
 */
import { RenderError } from '../errors.ts';
import { isLabelValue, isQualifiedName } from './kubernetes-names.ts';

/** Kubernetes' limit on the total size of an object's annotations. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

export type StringMapKind = 'label' | 'annotation';

/**
 * Checks one layer and copies it into `into` (later layers overwrite). `field` names a rendered
 * layer (`metadata.labels`), whose numbers and booleans become text; configured layers are text
 * already. Every key is checked as a qualified name first, so no key can be `__proto__` by the time
 * it is assigned.
 */
export function addStringMap(into: Record<string, string>, kind: StringMapKind, layer: unknown, field?: string): void {
  if (layer === undefined || layer === null) return;
  if (typeof layer !== 'object' || Array.isArray(layer)) throw new RenderError(`${field ?? kind} must be a mapping`);
  const map = layer as Record<string, unknown>;
  for (const key of Object.keys(map)) {
    const raw = map[key];
    const value = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (value === undefined) {
      throw new RenderError(`${field ?? kind}[${JSON.stringify(key)}] must be text, not ${raw === null ? 'empty' : typeof raw}`);
    }
    if (!isQualifiedName(key)) {
      throw new RenderError(`${kind} ${JSON.stringify(key)}: not a valid ${kind} key ([prefix/]name, name ≤ 63 characters)`);
    }
    if (kind === 'label' && !isLabelValue(value)) {
      const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
      throw new RenderError(
        `label ${JSON.stringify(key)}: ${JSON.stringify(shown)} is not a valid label value (≤ 63 characters of A-Z a-z 0-9 - _ ., alphanumeric at both ends); use {{labelValue …}}`,
      );
    }
    assign(into, key, value);
  }
}

/** Sets one entry; refuses the one key that would reach a prototype through assignment. */
export function assign(into: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') throw new RenderError('the key "__proto__" is not allowed');
  into[key] = value;
}

export function checkAnnotationsSize(annotations: Readonly<Record<string, string>>): void {
  let units = 0;
  for (const key of Object.keys(annotations)) units += key.length + (annotations[key] as string).length;
  if (units * 3 <= ANNOTATIONS_MAX_BYTES) return; // UTF-8 needs at most 3 bytes per UTF-16 unit
  let bytes = 0;
  for (const key of Object.keys(annotations)) bytes += Buffer.byteLength(key) + Buffer.byteLength(annotations[key] as string);
  if (bytes > ANNOTATIONS_MAX_BYTES) throw new RenderError(`annotations total ${bytes} bytes, more than Kubernetes accepts (${ANNOTATIONS_MAX_BYTES})`);
}
