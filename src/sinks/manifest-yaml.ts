/**
 * A run manifest (JSON-shaped data) as block YAML, for the file sink: what `yaml`'s stringify
 * writes for such data, at a fraction of its cost (it builds a document tree first). Every string
 * that could read as anything but itself — to YAML 1.2 or to the YAML 1.1 readers kubectl uses
 * (`yes`, `on`, `1:20`), or with any character of meaning to YAML — is written double-quoted with
 * JSON's escapes, which YAML's double-quoted style shares; only plain words are left bare. Data this
 * does not cover (a key too long for an implicit key) goes to the `yaml` package.
 */
import { stringify } from 'yaml';

/** Bare (plain) scalars: a letter, then letters, digits and `_ . / -`, not ending in a separator. */
const PLAIN = /^[A-Za-z](?:[A-Za-z0-9_./-]*[A-Za-z0-9_])?$/;
/** Words a YAML 1.1 or 1.2 reader takes for a boolean, a null or a special float. */
const RESERVED = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', 'nan', 'inf']);
/** Characters YAML wants escaped that JSON leaves raw: DEL, C1 controls, BOM, non-characters, lone surrogates. */
const UNPRINTABLE = /[\x7f-\x9f\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** YAML allows implicit keys up to 1024 characters; quoted ones count their quotes and escapes. */
const MAX_KEY = 1000;

class NotCovered extends Error {}

export function manifestYaml(value: Readonly<Record<string, unknown>>): string {
  try {
    return mapBlock(value, 0) || '{}\n';
  } catch (error) {
    if (error instanceof NotCovered) return stringify(value);
    throw error;
  }
}

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return string(value);
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

function string(value: string): string {
  if (PLAIN.test(value) && !RESERVED.has(value.toLowerCase())) return value;
  const quoted = JSON.stringify(value);
  UNPRINTABLE.lastIndex = 0;
  return UNPRINTABLE.test(quoted) ? quoted.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : quoted;
}

function key(name: string): string {
  const text = string(name);
  if (text.length > MAX_KEY) throw new NotCovered();
  return text;
}

/** What JSON would write for the value: toJSON applied, functions and symbols dropped. */
function jsonValue(value: unknown): unknown {
  const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
  return typeof value === 'object' && value !== null && typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}

/** The entries of a mapping at `indent`, one `key: value` a line; '' for an empty one. */
function mapBlock(map: Readonly<Record<string, unknown>>, indent: number): string {
  const pad = ' '.repeat(indent);
  let text = '';
  for (const name of Object.keys(map)) {
    const value = jsonValue(map[name]);
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    text += `${pad}${key(name)}:${node(value, indent + 2)}`;
  }
  return text;
}

/** The items of a sequence at `indent`, one `- value` each; '' for an empty one. */
function seqBlock(items: readonly unknown[], indent: number): string {
  const pad = ' '.repeat(indent);
  let text = '';
  for (const item of items) {
    const value = jsonValue(item);
    const shown = value === undefined || typeof value === 'function' || typeof value === 'symbol' ? null : value;
    const inline = scalar(shown);
    if (inline !== undefined) {
      text += `${pad}- ${inline}\n`;
      continue;
    }
    // A nested block starts on the dash's line: `- key: value` / `- - item`.
    const block = Array.isArray(shown) ? seqBlock(shown, indent + 2) : mapBlock(shown as Record<string, unknown>, indent + 2);
    text += block === '' ? `${pad}- ${Array.isArray(shown) ? '[]' : '{}'}\n` : `${pad}- ${block.slice(indent + 2)}`;
  }
  return text;
}

/** A mapping value after its `key:`: ` scalar\n`, ` {}`/` []`, or a newline and the block. */
function node(value: unknown, indent: number): string {
  const inline = scalar(value);
  if (inline !== undefined) return ` ${inline}\n`;
  if (Array.isArray(value)) {
    const block = seqBlock(value, indent);
    return block === '' ? ' []\n' : `\n${block}`;
  }
  const block = mapBlock(value as Record<string, unknown>, indent);
  return block === '' ? ' {}\n' : `\n${block}`;
}
