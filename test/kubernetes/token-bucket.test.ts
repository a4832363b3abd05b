import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTokenBucket } from '../../src/kubernetes/token-bucket.ts';

/** A manual clock: sleep() resolves only when advance() passes its deadline, in deadline order. */
function manualTime() {
  let now = 0;
  const sleepers: Array<{ at: number; resolve: () => void }> = [];
  return {
    clock: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => sleepers.push({ at: now + ms, resolve })),
    async advance(ms: number) {
      now += ms;
      const due = sleepers.filter((s) => s.at <= now + 1e-9).sort((a, b) => a.at - b.at);
      for (const sleeper of due) sleepers.splice(sleepers.indexOf(sleeper), 1);
      for (const sleeper of due) sleeper.resolve();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
  };
}

describe('token bucket', () => {
  test('a full bucket lets `burst` requests through at once, then one per 1/qps', async () => {
    const time = manualTime();
    const bucket = createTokenBucket({ qps: 10, burst: 3, clock: time.clock, sleep: time.sleep });
    const done: number[] = [];
    const takes = Array.from({ length: 6 }, (_, i) => bucket.take().then(() => done.push(i)));
    await time.advance(0);
    assert.deepEqual(done, [0, 1, 2]);
    await time.advance(99);
    assert.deepEqual(done, [0, 1, 2], 'the 4th waits a full 100 ms');
    await time.advance(1);
    assert.deepEqual(done, [0, 1, 2, 3]);
    await time.advance(100);
    assert.deepEqual(done, [0, 1, 2, 3, 4]);
    await time.advance(100);
    await Promise.all(takes);
    assert.deepEqual(done, [0, 1, 2, 3, 4, 5]);
  });

  test('waiters are served first in, first out, also when they arrive while others wait', async () => {
    const time = manualTime();
    const bucket = createTokenBucket({ qps: 2, burst: 1, clock: time.clock, sleep: time.sleep });
    const order: string[] = [];
    const first = ['a', 'b', 'c'].map((id) => bucket.take().then(() => order.push(id)));
    await time.advance(100);
    const later = ['d', 'e'].map((id) => bucket.take().then(() => order.push(id)));
    for (let i = 0; i < 10; i++) await time.advance(250);
    await Promise.all([...first, ...later]);
    assert.deepEqual(order, ['a', 'b', 'c', 'd', 'e']);
  });

  test('refills over idle time, up to burst and no more', async () => {
    const time = manualTime();
    const bucket = createTokenBucket({ qps: 10, burst: 2, clock: time.clock, sleep: time.sleep });
    await bucket.take();
    await bucket.take();
    await time.advance(10_000);
    const done: number[] = [];
    const takes = [0, 1, 2].map((i) => bucket.take().then(() => done.push(i)));
    await time.advance(0);
    assert.deepEqual(done, [0, 1], 'ten idle seconds still buy only `burst` tokens');
    await time.advance(100);
    await Promise.all(takes);
    assert.deepEqual(done, [0, 1, 2]);
  });

  test('sustained rate equals qps', async () => {
    const time = manualTime();
    const bucket = createTokenBucket({ qps: 5, burst: 1, clock: time.clock, sleep: time.sleep });
    let done = 0;
    const takes = Array.from({ length: 11 }, () => bucket.take().then(() => done++));
    await time.advance(0);
    assert.equal(done, 1);
    await time.advance(2_000);
    await Promise.all(takes);
    assert.equal(done, 11, '1 at once + 5 per second for 2 s');
  });

  for (const [qps, burst] of [[0, 1], [-1, 1], [1, 0], [Number.NaN, 1]] as const) {
    test(`rejects qps ${qps}, burst ${burst}`, () => {
      assert.throws(() => createTokenBucket({ qps, burst }), RangeError);
    });
  }
});
