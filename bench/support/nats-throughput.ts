/**
 * Completion messages published on core NATS and consumed in this process: by runbridge's core
 * NATS completion source (parse, correlate, record, dispatch, render, submit), or by a raw
 * subscribe loop that only parses the JSON (the floor), optionally doing some fixed work with it. Both time from the first publish to the
 * last message handled. The completion source's connection is closed when it runs out of time.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { HandleCompletionEvent } from '../../src/sources/completions/handle-completion-event.ts';
import { startCoreNatsSource } from '../../src/sources/completions/start-core-nats-source.ts';

export interface Throughput {
  readonly handled: number;
  readonly failed: number;
  readonly seconds: number;
  readonly rate: number;
}

/** Parses each message; `work`, when given, is then done with what was parsed (a floor's extra work). */
export async function rawSubscribeLoop(nc: NatsConnection, pub: NatsConnection, bodies: readonly string[], work?: (parsed: unknown) => unknown): Promise<Throughput> {
  const subject = `bench.raw.${randomBytes(4).toString('hex')}`;
  const subscription = nc.subscribe(subject);
  await nc.flush();
  const received: unknown[] = [];
  const started = performance.now();
  const consumed = (async () => {
    for await (const msg of subscription) {
      const parsed: unknown = JSON.parse(msg.string());
      received.push(work ? work(parsed) : parsed);
      if (received.length === bodies.length) break;
    }
  })();
  for (const body of bodies) pub.publish(subject, body);
  await pub.flush();
  await consumed;
  const seconds = (performance.now() - started) / 1000;
  return { handled: received.length, failed: 0, seconds, rate: received.length / seconds };
}

export async function throughCompletionSource(
  nc: NatsConnection,
  pub: NatsConnection,
  bodies: readonly string[],
  options: { handle: HandleCompletionEvent; logger: Logger; timeoutMs: number },
): Promise<Throughput> {
  const subject = `bench.completions.${randomBytes(4).toString('hex')}`;
  let handled = 0;
  let failed = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const handle: HandleCompletionEvent = async (event) => {
    try {
      const verdict = await options.handle(event);
      if (verdict.status >= 300) failed++;
      return verdict;
    } catch (error) {
      failed++;
      throw error;
    } finally {
      handled++;
      if (handled === bodies.length) finish();
    }
  };
  const source = await startCoreNatsSource({ nc, subject, handle, logger: options.logger, queue: 'bench' });
  await nc.flush();
  const started = performance.now();
  for (const body of bodies) pub.publish(subject, body);
  await pub.flush();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    finish();
  }, options.timeoutMs);
  await done;
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  const counted = handled;
  // Out of time: close the consumer's connection, so the messages still queued are dropped, not drained.
  if (timedOut) await nc.close();
  await source.stop();
  return { handled: counted, failed: failed + (bodies.length - counted), seconds, rate: (counted - Math.min(failed, counted)) / seconds };
}
