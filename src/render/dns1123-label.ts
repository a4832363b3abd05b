/**
 * Shapes any string into a DNS-1123 label: lowercase, every run of other characters becomes one
 * '-', no leading or trailing '-', at most `maxLength` characters, never empty ('x' when nothing
 * usable is left).
 */
export const DNS1123_LABEL_MAX = 63;

const ALREADY_SHAPED = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const INVALID_RUN = /[^a-z0-9]+/g;
const EDGE_DASHES = /^-+|-+$/g;

export function dns1123Label(value: string, maxLength: number = DNS1123_LABEL_MAX): string {
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > DNS1123_LABEL_MAX) {
    throw new RangeError(`DNS-1123 label length must be an integer from 1 to ${DNS1123_LABEL_MAX}, got ${maxLength}`);
  }
  if (value.length <= maxLength && ALREADY_SHAPED.test(value)) return value;
  const shaped = value.toLowerCase().replace(INVALID_RUN, '-').replace(EDGE_DASHES, '');
  const cut = shaped.length > maxLength ? shaped.slice(0, maxLength).replace(EDGE_DASHES, '') : shaped;
  return cut === '' ? 'x' : cut;
}
