/** `GET /status`: the chaining status report as JSON. Read-only and without secrets, so unauthenticated. */
import type { Route } from '../../server/route.ts';
import type { StatusReport } from './status-report.ts';

export const STATUS_PATH = '/status';

export function statusRoute(report: () => Promise<StatusReport>): Route {
  return {
    method: 'GET',
    path: STATUS_PATH,
    handle: async () => ({ status: 200, json: await report(), headers: { 'cache-control': 'no-store' } }),
  };
}
