/**
 * What one file of the file store holds: `{ "key", "revision", "value" }`, or after a delete a
 * tombstone `{ "key", "revision", "deleted": true }` that keeps the revision counting up, so a
 * revision read before a delete can never match a key created again afterwards. A record with a
 * lifetime carries `"expires"` (ms since the epoch): from then on it is gone, at load as in memory.
 */
import { StateError } from '../errors.ts';
import { decodeStateValue } from './state-value.ts';

export type StateRecord =
  | { readonly key: string; readonly revision: number; readonly deleted?: false; readonly expires?: number; readonly value: unknown }
  | { readonly key: string; readonly revision: number; readonly deleted: true };

export function formatStateRecord(key: string, revision: number, valueJson: string | undefined, expires?: number): string {
  const head = `{"key":${JSON.stringify(key)},"revision":${revision},${expires === undefined ? '' : `"expires":${expires},`}`;
  return valueJson === undefined ? `${head}"deleted":true}\n` : `${head}"value":${valueJson}}\n`;
}

/** Parses a record file; anything else is a StateError that names the file. */
export function parseStateRecord(file: string, expectedKey: string | undefined, text: string): StateRecord {
  const data = decodeStateValue<unknown>(`state file ${file}`, text);
  const problem = describeProblem(data, expectedKey);
  if (problem) throw new StateError(`state file ${file} is not a state record: ${problem}; move it away or restore it from a backup`);
  return data as StateRecord;
}

function describeProblem(data: unknown, expectedKey: string | undefined): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not a JSON object';
  const record = data as Record<string, unknown>;
  if (typeof record['key'] !== 'string') return 'no "key"';
  if (expectedKey !== undefined && record['key'] !== expectedKey) return `it holds key ${JSON.stringify(record['key'])}`;
  const revision = record['revision'];
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1) return '"revision" is not a positive integer';
  if (record['deleted'] === true) return undefined;
  const expires = record['expires'];
  if (expires !== undefined && (typeof expires !== 'number' || !Number.isSafeInteger(expires))) return '"expires" is not an integer';
  if (!Object.hasOwn(record, 'value')) return 'no "value"';
  return undefined;
}
