/**
 * Signed GitHub (or GitLab) push deliveries fired by autocannon, in this process, at a server in
 * another one. Every request carries a new delivery id (X-GitHub-Delivery, Idempotency-Key), so each is a new event to runbridge (a new
 * run written), never a redelivery answered from the dedupe record.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { spawnNode } from './child-process.ts';
import { Webhooks } from '@octokit/webhooks';

export const BENCH_SECRET = 'runbridge-bench-secret';

export interface SignedPush {
  readonly body: string;
  readonly signature: string;
  /** The headers of every request, less the id; GitHub's (with `signature`) when absent. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The header that carries each request's new id; X-GitHub-Delivery when absent. */
  readonly idHeader?: string;
}

export async function signedPush(secret = BENCH_SECRET): Promise<SignedPush> {
  const body = await readFile(new URL('../../test/fixtures/github/push.json', import.meta.url), 'utf8');
  return { body, signature: await new Webhooks({ secret }).sign(body) };
}

/**
 * GitLab's documented push (test/fixtures/gitlab/push.json, two commits to main of acme/shop)
 * with its X-Gitlab-Token; each request gets a new Idempotency-Key, so each is a new event.
 */
export async function gitlabPush(secret = BENCH_SECRET): Promise<SignedPush> {
  const fixture = JSON.parse(await readFile(new URL('../../test/fixtures/gitlab/push.json', import.meta.url), 'utf8')) as { body: unknown };
  const body = JSON.stringify(fixture.body, null, 2);
  return { body, signature: secret, headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': secret }, idHeader: 'idempotency-key' };
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
  const headers = options.push.headers ?? {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-hub-signature-256': options.push.signature,
  };
  const idHeader = options.push.idHeader ?? 'x-github-delivery';
  // Timed here, from the start to the last answer: autocannon ends a run of `amount` requests on
  // its one-second tick, so its own duration caps a short run's rate at its count.
  const started = performance.now();
  let lastAnswer = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
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
              request.headers = { ...headers, [idHeader]: `${prefix}-${sequence}` };
              return request;
            },
          },
        ],
    }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', () => {
      lastAnswer = performance.now();
    });
  });
  const seconds = (lastAnswer - started) / 1000 || result.duration;
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors;
  return {
    ok,
    failed,
    seconds,
    rate: ok / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/** fireDeliveries in a process of its own (fire-deliveries-process.ts): for fixed-rate latencies. */
export async function fireDeliveriesApart(options: LoadOptions): Promise<LoadResult> {
  const child = spawnNode(['bench/support/fire-deliveries-process.ts', JSON.stringify(options)], { keepStdout: true });
  const printed = await child.waitForStdout(/^\{.*\}\n/m, ((options.duration ?? 5) + 60) * 1000);
  await child.stop();
  return JSON.parse(printed.trim().split('\n').at(-1)!) as LoadResult;
}
