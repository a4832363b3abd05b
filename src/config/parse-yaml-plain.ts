/**
 * The light path from YAML text to a plain value: no document, no node positions, no concrete
 * syntax tree, and the `runConfigurations` list parsed a batch of items at a time, so that what
 * is alive at once is the value and one batch's parse (a 10,000-item configuration of 4.5 MB
 * peaks at a few MiB over its value instead of ~400 MiB, in a tenth of the time). It resolves scalars exactly as the `yaml` package's YAML 1.2 core schema does
 * (the same patterns), and it answers `undefined` whenever it cannot promise the same value as
 * parseConfigYaml: anything it refuses (syntax, duplicate keys, tags it does not know, multiple
 * documents), anchors and aliases (left to the full parser's alias limits), and keys that are not
 * strings, numbers or booleans. The caller then takes the full path, which reports the problem.
 */
import { FAILSAFE_SCHEMA, NOT_RESOLVED, Schema, defineMappingTag, defineScalarTag, load } from 'js-yaml';
import { splitSequenceItems, type SequenceItems } from './split-sequence-items.ts';

/** Text parsed at once on the light path; larger lists of run configurations go in batches of about this. */
const BATCH_BYTES = 256 * 1024;

/** The scalar patterns of `yaml`'s core schema (yaml/dist/schema/core, common/null). */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

const nullTag = defineScalarTag('tag:yaml.org,2002:null', {
  implicit: true,
  resolve: (source) => (NULL.test(source) ? null : NOT_RESOLVED),
  identify: (data) => data === null,
});

const boolTag = defineScalarTag('tag:yaml.org,2002:bool', {
  implicit: true,
  resolve: (source) => (BOOL.test(source) ? source[0] === 't' || source[0] === 'T' : NOT_RESOLVED),
  identify: (data) => typeof data === 'boolean',
});

const intTag = defineScalarTag('tag:yaml.org,2002:int', {
  implicit: true,
  resolve: (source) => {
    if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
    if (INT.test(source)) return parseInt(source, 10);
    if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
    return NOT_RESOLVED;
  },
  identify: (data) => Number.isInteger(data),
});

const floatTag = defineScalarTag('tag:yaml.org,2002:float', {
  implicit: true,
  resolve: (source) => {
    if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? Number.NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
    return NOT_RESOLVED;
  },
  identify: (data) => typeof data === 'number',
});

type Plain = Record<string, unknown>;

/** Plain objects with own properties, as `yaml`'s toJS builds them; only keys both parsers turn into the same string. */
const mapTag = defineMappingTag<Plain>('tag:yaml.org,2002:map', {
  create: () => ({}),
  addPair: (container, key, value) => {
    const name = keyName(key);
    if (name === undefined) return 'only string, number and boolean keys';
    Object.defineProperty(container, name, { value, enumerable: true, configurable: true, writable: true });
    return '';
  },
  has: (container, key) => {
    const name = keyName(key);
    return name !== undefined && Object.hasOwn(container, name);
  },
  keys: (container) => Object.keys(container),
  get: (container, key) => container[String(key)],
  identify: (data) => data !== null && typeof data === 'object' && !Array.isArray(data),
});

const CORE = new Schema([...FAILSAFE_SCHEMA.tags.filter((tag) => tag.tagName !== mapTag.tagName), mapTag, nullTag, boolTag, intTag, floatTag]);

export interface PlainYaml {
  readonly value: unknown;
  /** When the runConfigurations list was read in batches: the batches and how many items each held. */
  readonly split?: SequenceItems & { readonly counts: readonly number[] };
}

export function parseYamlPlain(text: string): PlainYaml | undefined {
  // An anchor (`&name`) is the only way to write an alias that resolves: leave both to the full parser.
  // A directive (`%TAG`) would apply to the whole document, not to a batch of items.
  if (text.includes('&') || /^%/m.test(text)) return undefined;
  try {
    const split = text.length > BATCH_BYTES ? splitSequenceItems(text, 'runConfigurations', BATCH_BYTES) : undefined;
    if (!split) return { value: load(text, { schema: CORE }) };
    const value = load(split.skeleton, { schema: CORE });
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const placeholder = (value as Plain)['runConfigurations'];
    if (!Array.isArray(placeholder) || placeholder.length > 0) return undefined;
    const items: unknown[] = [];
    const counts: number[] = [];
    for (const [from, to] of split.batches) {
      const batch = load(text.slice(from, to), { schema: CORE });
      if (!Array.isArray(batch)) return undefined;
      for (const item of batch) items.push(item);
      counts.push(batch.length);
    }
    (value as Plain)['runConfigurations'] = items;
    return { value, split: { ...split, counts } };
  } catch {
    return undefined;
  }
}

function keyName(key: unknown): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean' || (typeof key === 'number' && !Object.is(key, -0))) return String(key);
  return undefined;
}
