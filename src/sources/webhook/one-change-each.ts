import { isRecord, type JsonRecord } from '../../events/json-record.ts';

/**
 * A delivery that lists several ref changes (`changes` at `path`) as one payload per change, each
 * the delivery with that list holding its one change, in the forge's order. A payload with one
 * change or none, or without the list, comes back alone and untouched (its facts say what is
 * wrong with it).
 *
 *   oneChangeEach({ push: { changes: [a, b] }, actor }, ['push', 'changes'])
 *   // → [{ push: { changes: [a] }, actor }, { push: { changes: [b] }, actor }]
 */
export function oneChangeEach(payload: JsonRecord, path: readonly [string, ...string[]]): readonly [JsonRecord, ...JsonRecord[]] {
  const changes = listAt(payload, path);
  if (changes === undefined || changes.length < 2) return [payload];
  const [first, ...others] = changes.map((change) => withList(payload, path, [change]));
  return first === undefined ? [payload] : [first, ...others];
}

function listAt(value: unknown, path: readonly string[]): readonly unknown[] | undefined {
  const [key, ...rest] = path;
  if (key === undefined) return Array.isArray(value) ? value : undefined;
  return isRecord(value) && Object.hasOwn(value, key) ? listAt(value[key], rest) : undefined;
}

function withList(record: JsonRecord, path: readonly [string, ...string[]], list: readonly unknown[]): JsonRecord {
  const [key, ...rest] = path;
  const [next, ...beyond] = rest;
  const inner = record[key];
  return { ...record, [key]: next === undefined || !isRecord(inner) ? list : withList(inner, [next, ...beyond], list) };
}
