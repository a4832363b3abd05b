/**
 * Deliveries at a steady rate, each with a fresh id, none waiting for another: what a busy forge
 * sends. A delivery that gets no answer at all (connection refused or cut) is sent once more after
 * `retryAfterMs` — a forge would not do that by itself; the retry is kept apart so that a test can
 * count it.
 *
 *   const load = steadyLoad((id) => deliver(proxy.url, id), { perSecond: 20, retryAfterMs: 1_500 });
 *   ... restart replicas ...
 *   const deliveries = await load.stop();
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from './signed-push.ts';

export interface Answer {
  readonly status: DeliveryStatus;
  readonly ms: number;
}

export interface Delivery {
  readonly id: string;
  readonly sentAt: number;
  readonly answer: Answer;
  /** The second try of a delivery that got no answer. */
  readonly retry?: Answer;
}

export interface SteadyLoad {
  /** Deliveries answered so far. */
  answered(): number;
  /** Stops sending and resolves with every delivery once each has its answer. */
  stop(): Promise<Delivery[]>;
}

export function steadyLoad(send: (id: string) => Promise<DeliveryStatus>, options: { perSecond: number; retryAfterMs: number }): SteadyLoad {
  const timed = async (id: string): Promise<Answer> => {
    const started = performance.now();
    const status = await send(id);
    return { status, ms: performance.now() - started };
  };
  const deliveries: Promise<Delivery>[] = [];
  let answered = 0;
  const deliver = async (id: string, sentAt: number): Promise<Delivery> => {
    const answer = await timed(id);
    if (answer.status !== 'reset') return (answered++, { id, sentAt, answer });
    await new Promise((resolve) => setTimeout(resolve, options.retryAfterMs));
    const retry = await timed(id);
    answered++;
    return { id, sentAt, answer, retry };
  };

  // Paced from the start time, not from the previous send, so that a slow moment does not lower the rate.
  const start = Date.now();
  const intervalMs = 1000 / options.perSecond;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const due = Math.floor((Date.now() - start) / intervalMs) + 1;
    while (deliveries.length < due) deliveries.push(deliver(randomUUID(), Date.now()));
    timer = setTimeout(tick, intervalMs - ((Date.now() - start) % intervalMs));
  };
  tick();

  return {
    answered: () => answered,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      return Promise.all(deliveries);
    },
  };
}
