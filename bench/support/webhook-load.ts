/**
 * Signed GitHub push deliveries fired by autocannon, in this process, at a server in another one.
 * Every request carries a new X-GitHub-Delivery id, so each is a new event to runbridge (a new
 * run written), never a redelivery answered from the dedupe record.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { Webhooks } from '@octokit/webhooks';

export const BENCH_SECRET = 'runbridge-bench-secret';

export interface SignedPush {
  readonly body: string;
  readonly signature: string;
}

export async function signedPush(secret = BENCH_SECRET): Promise<SignedPush> {
  const body = await readFile(new URL('../../test/fixtures/github/push.json', import.meta.url), 'utf8');
  return { body, signature: await new Webhooks({ secret }).sign(body) };
}

export interface LoadOptions {
  readonly url: string;
  readonly push: SignedPush;
  readonly connections: number;
  /** Seconds; ignored when `amount` is set. */
  readonly duration?: number;
  readonly amount?: number;
  /** Requests per second over all connections (latency then corrected for coordinated omission). */
  readonly overallRate?: number;
  /** Prefix of the delivery ids of this load (a counter follows). */
  readonly idPrefix?: string;
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  /** 2xx answers per second. */
  readonly rate: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export async function fireDeliveries(options: LoadOptions): Promise<LoadResult> {
  const prefix = options.idPrefix ?? `bench-${randomBytes(4).toString('hex')}`;
  let sequence = 0;
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-hub-signature-256': options.push.signature,
  };
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    body: options.push.body,
    headers,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.duration ?? 5 } : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          sequence += 1;
          request.headers = { ...headers, 'x-github-delivery': `${prefix}-${sequence}` };
          return request;
        },
      },
    ],
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors;
  return {
    ok,
    failed,
    seconds: result.duration,
    rate: ok / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}
