import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createKeyMutex } from '../../src/state/key-mutex.ts';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('work on one key runs one at a time, in order; other keys run alongside', async () => {
  const mutex = createKeyMutex();
  const events: string[] = [];
  const job = (key: string, name: string, ms: number) =>
    mutex.run(key, async () => {
      events.push(`start ${name}`);
      await tick(ms);
      events.push(`end ${name}`);
      return name;
    });
  const results = await Promise.all([job('a', 'a1', 30), job('a', 'a2', 1), job('b', 'b1', 5)]);
  assert.deepEqual(results, ['a1', 'a2', 'b1']);
  assert.deepEqual(events, ['start a1', 'start b1', 'end b1', 'end a1', 'start a2', 'end a2']);
});

test('a failure is returned to its caller and does not block the next one', async () => {
  const mutex = createKeyMutex();
  const failed = mutex.run('k', async () => {
    throw new Error('boom');
  });
  const next = mutex.run('k', async () => 'next');
  await assert.rejects(failed, /boom/);
  assert.equal(await next, 'next');
});

test('idle() waits for queued work', async () => {
  const mutex = createKeyMutex();
  let done = false;
  void mutex.run('k', async () => {
    await tick(20);
    done = true;
  });
  await mutex.idle();
  assert.equal(done, true);
});

test('work that throws before returning a promise rejects its own call only', async () => {
  const mutex = createKeyMutex();
  const failed = mutex.run('k', (() => {
    throw new Error('sync boom');
  }) as () => Promise<never>);
  const next = mutex.run('k', async () => 'next');
  await assert.rejects(failed, /sync boom/);
  assert.equal(await next, 'next');
  await mutex.idle();
});

test('work on a key with nothing queued waits for nothing; queued work still waits its turn', async () => {
  const mutex = createKeyMutex();
  const events: string[] = [];
  const a = mutex.run('k', async () => {
    events.push('start a');
    await tick(10);
    events.push('end a');
  });
  const b = mutex.run('k', async () => {
    events.push('start b');
  });
  await Promise.all([a, b]);
  assert.deepEqual(events, ['start a', 'end a', 'start b']);
  const c = mutex.run('k', async () => 'c');
  assert.equal(await c, 'c');
});
