/**
 * The GitHub push fixture, signed once, delivered over a real socket. A delivery that gets no
 * answer (connection refused or reset, or no answer within a forge's 10 s) is `'reset'`.
 *
 *   const deliver = await signedPush(SECRET);
 *   const status = await deliver(replica.url, randomUUID());   // 200, 202, 503 … or 'reset'
 */
import { readFile } from 'node:fs/promises';
import { Webhooks } from '@octokit/webhooks';

export type DeliveryStatus = number | 'reset';

export type DeliverPush = (url: string, id: string) => Promise<DeliveryStatus>;

export async function signedPush(secret: string): Promise<DeliverPush> {
  const fixture = await readFile(new URL('../fixtures/github/push.json', import.meta.url), 'utf8');
  const signature = await new Webhooks({ secret }).sign(fixture);
  return async (url, id) => {
    try {
      const response = await fetch(`${url}/webhooks/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': signature },
        body: fixture,
        signal: AbortSignal.timeout(10_000),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 'reset';
    }
  };
}

/** 200 (runs done) or 202 (stored, runs follow): the event was accepted. */
export const accepted = (status: DeliveryStatus): boolean => status === 200 || status === 202;
