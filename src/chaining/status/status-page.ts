/**
 * Which run configurations one `GET /status` covers: `?runConfiguration=ns/name` for one, else a
 * page of `?limit` (at most `maxPageSize`, `defaultPageSize` when not given) starting at
 * `?cursor` — the key the previous page's `nextCursor` named. Pages follow the configuration's
 * order, so a cursor stays valid for as long as the configuration does. Bad input is a 400; an
 * unknown run configuration or cursor a 404.
 */
import { MalformedEventError, NotFoundError } from '../../errors.ts';

export interface StatusQuery {
  readonly runConfiguration?: string | undefined;
  readonly limit?: string | undefined;
  readonly cursor?: string | undefined;
}

export interface PageSizes {
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
}

export interface StatusPage<T> {
  readonly items: readonly T[];
  /** The key the next page starts at; absent on the last page. */
  readonly nextCursor?: string;
  /** How many run configurations there are in all. */
  readonly total: number;
}

export function statusPage<T>(items: readonly T[], keyOf: (item: T) => string, query: StatusQuery, sizes: PageSizes): StatusPage<T> {
  if (query.runConfiguration !== undefined) {
    const found = items.find((item) => keyOf(item) === query.runConfiguration);
    if (found === undefined) throw new NotFoundError(`no run configuration ${JSON.stringify(query.runConfiguration.slice(0, 200))}`);
    return { items: [found], total: items.length };
  }
  const limit = pageLimit(query.limit, sizes);
  let start = 0;
  if (query.cursor !== undefined) {
    start = items.findIndex((item) => keyOf(item) === query.cursor);
    if (start < 0) throw new NotFoundError(`cursor ${JSON.stringify(query.cursor.slice(0, 200))} names no run configuration: start again without it`);
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return next === undefined ? { items: page, total: items.length } : { items: page, nextCursor: keyOf(next), total: items.length };
}

function pageLimit(text: string | undefined, sizes: PageSizes): number {
  if (text === undefined) return sizes.defaultPageSize;
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new MalformedEventError(`limit must be a whole number from 1 to ${sizes.maxPageSize}`);
  return Math.min(Number(text), sizes.maxPageSize);
}
