/** `GET /status`: the chaining status report as JSON. Read-only and without secrets, so unauthenticated. */
import type { Express } from 'express';
import { methodNotAllowed } from '../../server/method-not-allowed.ts';
import type { StatusReport } from './status-report.ts';

export const STATUS_PATH = '/status';

export function statusRoute(report: () => Promise<StatusReport>): (app: Express) => void {
  return (app) => {
    app
      .route(STATUS_PATH)
      .get(async (_req, res) => {
        res.set('cache-control', 'no-store').json(await report());
      })
      .all(methodNotAllowed(['GET', 'HEAD']));
  };
}
