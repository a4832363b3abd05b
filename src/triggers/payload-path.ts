/**
 * Paths into a raw payload for `valueFrom.payload`: dot-separated keys and `[n]` indexes
 * (`pull_request.head.repo.full_name`, `commits[0].id`). Only own properties are read, and
 * `__proto__`, `constructor` and `prototype` segments resolve to nothing, so a path never reaches
 * a prototype.
 */
export type PayloadPathSegment = string | number;

const SEGMENT = /^([^.[\]]+)?((?:\[\d+\])*)$/;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The segments of `path`, or an error message when it is not a valid path. */
export function parsePayloadPath(path: string): PayloadPathSegment[] | { error: string } {
  const segments: PayloadPathSegment[] = [];
  const parts = path.split('.');
  for (const [position, part] of parts.entries()) {
    const match = SEGMENT.exec(part);
    if (match === null || (match[1] === undefined && (match[2] === '' || position > 0))) {
      return { error: `invalid payload path ${JSON.stringify(path)}: expected keys joined by "." with optional [n] indexes` };
    }
    if (match[1] !== undefined) segments.push(match[1]);
    if (match[2]) for (const index of match[2].slice(1, -1).split('][')) segments.push(Number(index));
  }
  return segments;
}

/** The value at `segments`, or undefined when any step is missing or forbidden. */
export function readPayloadPath(data: unknown, segments: readonly PayloadPathSegment[]): unknown {
  let value = data;
  for (const segment of segments) {
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return undefined;
      value = value[segment];
    } else {
      if (FORBIDDEN.has(segment) || Array.isArray(value) || !Object.hasOwn(value, segment)) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return value;
}
