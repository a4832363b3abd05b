/**
 * Fills a skeleton with one render's slot values, building fresh objects. A value replaces its slot
 * in one pass and is never looked at again. Keys filled from values are defined with
 * Object.defineProperty (own data properties: a key `__proto__` stays a key and never touches a
 * prototype); keys written in the template are checked when the skeleton is made.
 */
import { RenderError } from '../errors.ts';
import type { SlotValue } from './slot-helper.ts';
import type { Skeleton } from './yaml-skeleton.ts';

export function buildFromSkeleton(node: Skeleton, values: readonly SlotValue[]): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'slot':
      return slot(values, node.index);
    case 'text': {
      let out = '';
      for (const part of node.parts) out += typeof part === 'number' ? String(slot(values, part)) : part;
      return out;
    }
    case 'seq':
      return node.items.map((item) => buildFromSkeleton(item, values));
    case 'map': {
      const object: Record<string, unknown> = {};
      const { keys, staticKeys } = node;
      for (let i = 0; i < keys.length; i++) {
        const value = buildFromSkeleton(node.values[i] as Skeleton, values);
        if (staticKeys !== undefined) {
          object[staticKeys[i] as string] = value;
          continue;
        }
        const built = buildFromSkeleton(keys[i] as Skeleton, values);
        const key = built === null ? '' : String(built);
        if (Object.hasOwn(object, key)) {
          throw new RenderError(`the key ${JSON.stringify(key)} appears twice in one mapping once values are filled in`);
        }
        Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
      }
      return object;
    }
  }
}

function slot(values: readonly SlotValue[], index: number): SlotValue {
  const value = values[index];
  if (value === undefined) throw new RenderError(`the rendered YAML refers to slot ${index}, which this render did not fill`);
  return value;
}
