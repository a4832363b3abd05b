/**
 * The internal helper every `{{expression}}` is rewritten into (see prepare-template-ast.ts):
 * `{{__rbSlot (expression) <site>}}`. It records the value in this render's slot list and emits a
 * marker in its place.
 */
import type { HelperOptions } from 'handlebars';
import { RenderError } from '../errors.ts';

export const SLOT_HELPER = '__rbSlot';
/** Where the slot state travels: Handlebars' per-render `data` frame (`options.data`). */
export const SLOT_DATA_KEY = 'runbridgeSlots';

/** What a slot can hold: text, or a number or boolean that keeps its type when it fills a whole scalar. */
export type SlotValue = string | number | boolean;

/** One `{{ }}` in the template source, for error messages. */
export interface SlotSite {
  readonly line: number;
  readonly expression: string;
}

export interface SlotState {
  /** `rbslot<nonce>n` for this render. */
  readonly marker: string;
  readonly values: SlotValue[];
  readonly sites: readonly SlotSite[];
}

export function slotHelper(value: unknown, site: unknown, options: HelperOptions): string {
  const state = (options.data as Record<string, SlotState | undefined> | undefined)?.[SLOT_DATA_KEY];
  if (state === undefined) throw new RenderError('template rendered without slot state');
  const index = state.values.length;
  state.values.push(slotValue(value, typeof site === 'number' ? state.sites[site] : undefined));
  return `${state.marker}${index}x`;
}

function slotValue(value: unknown, site: SlotSite | undefined): SlotValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    default:
      if (value === null) return '';
      if (typeof (value as { toHTML?: unknown }).toHTML === 'function') return String(value);
  }
  const where = site ? `line ${site.line}, ${site.expression}: ` : '';
  const what = Array.isArray(value) ? 'a list' : typeof value === 'function' ? 'a function' : 'a mapping';
  throw new RenderError(
    `${where}{{ }} can only render text, numbers and booleans, but this is ${what}; use {{json …}} for its JSON text or {{#each …}} to render its items`,
  );
}
