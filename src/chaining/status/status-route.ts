/**
 * `GET /status` (internal listener): the chaining status report as JSON, bounded in cost — one run
 * configuration (`?runConfiguration=ns/name`) or one page (`?limit`, `?cursor`; status-page.ts),
 * each answer reused for `cacheSeconds` so that a burst of requests reads the state once, and
 * behind a bearer token when `status.token` is set.
 */
import type { StatusConfig } from '../../config/schema.ts';
import type { CompiledRunConfiguration } from '../../config/loaded-config.ts';
import { MalformedEventError } from '../../errors.ts';
import type { Route } from '../../server/route.ts';
import type { BearerTokenCheck } from '../../sources/manual/bearer-token-check.ts';
import { statusPage, type StatusQuery } from './status-page.ts';
import type { StatusReport } from './status-report.ts';

export const STATUS_PATH = '/status';

export interface StatusRouteOptions {
  readonly runConfigurations: readonly CompiledRunConfiguration[];
  /** The report of the given run configurations (build-status-report.ts). */
  readonly report: (runConfigurations: readonly CompiledRunConfiguration[]) => Promise<StatusReport>;
  readonly settings: Pick<StatusConfig, 'cacheSeconds' | 'defaultPageSize' | 'maxPageSize'>;
  /** Set when `status.token` is: a request without it is 401. */
  readonly authenticate?: BearerTokenCheck | undefined;
  readonly now?: () => number;
}

/** At most this many distinct answers are kept; older ones go first. */
const CACHED_ANSWERS = 64;

export function statusRoute(options: StatusRouteOptions): Route {
  const { runConfigurations, settings, authenticate, now = () => Date.now() } = options;
  const cacheMs = settings.cacheSeconds * 1000;
  const cache = new Map<string, { readonly at: number; readonly report: Promise<StatusReport> }>();
  const reportOf = (query: StatusQuery): Promise<StatusReport> => {
    const page = statusPage(runConfigurations, (rc) => rc.key, query, settings);
    const key = JSON.stringify([query.runConfiguration, page.items[0]?.key, page.items.length]);
    const cached = cache.get(key);
    if (cached !== undefined && now() - cached.at < cacheMs) return cached.report;
    const report = options.report(page.items).then((built) => ({
      ...built,
      total: page.total,
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    }));
    // A failed read is not kept: the next request tries again.
    report.catch(() => cache.delete(key));
    cache.delete(key);
    if (cache.size >= CACHED_ANSWERS) cache.delete(cache.keys().next().value as string);
    if (cacheMs > 0) cache.set(key, { at: now(), report });
    return report;
  };
  return {
    method: 'GET',
    path: STATUS_PATH,
    async handle(req) {
      authenticate?.(req.headers.authorization, req.socket.remoteAddress);
      const query: StatusQuery = { runConfiguration: single(req.query, 'runConfiguration'), limit: single(req.query, 'limit'), cursor: single(req.query, 'cursor') };
      return { status: 200, json: await reportOf(query), headers: { 'cache-control': 'no-store' } };
    },
  };
}

function single(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new MalformedEventError(`${name} must be given once, as text`);
  return value;
}
