import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createHandlingWindow } from '../../src/sources/completions/handling-window.ts';

/** A unit of work that runs until released, noting when it starts and ends. */
function gate(log: string[], name: string) {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    release: () => release(),
    work: async () => {
      log.push(`start ${name}`);
      await released;
      log.push(`end ${name}`);
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('handling window', () => {
  test('different keys run at once, up to the limit; the next is admitted when one settles', async () => {
    const log: string[] = [];
    const window = createHandlingWindow(2);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(log, name));
    await window.admit('a', a!.work);
    await window.admit('b', b!.work);
    let admitted = false;
    const third = window.admit('c', c!.work).then(() => {
      admitted = true;
    });
    await tick();
    assert.deepEqual(log, ['start a', 'start b']);
    assert.equal(admitted, false, 'the window is full');
    assert.equal(window.inFlight(), 2);
    b!.release();
    await third;
    assert.equal(admitted, true);
    assert.deepEqual(log, ['start a', 'start b', 'end b', 'start c']);
    a!.release();
    c!.release();
    await window.idle();
    assert.equal(window.inFlight(), 0);
  });

  test('the same key runs one after another, in the order admitted, while other keys go past', async () => {
    const log: string[] = [];
    const window = createHandlingWindow(10);
    const [first, second, other] = ['run-1 #1', 'run-1 #2', 'run-2'].map((name) => gate(log, name));
    await window.admit('run-1', first!.work);
    await window.admit('run-1', second!.work);
    await window.admit('run-2', other!.work);
    await tick();
    assert.deepEqual(log, ['start run-1 #1', 'start run-2'], 'the second report of run-1 waits for the first');
    other!.release();
    second!.release();
    await tick();
    assert.deepEqual(log, ['start run-1 #1', 'start run-2', 'end run-2']);
    first!.release();
    await window.idle();
    assert.deepEqual(log, ['start run-1 #1', 'start run-2', 'end run-2', 'end run-1 #1', 'start run-1 #2', 'end run-1 #2']);
  });

  test('a failed unit of work neither stops the ones queued behind it on its key nor frees a slot twice', async () => {
    const window = createHandlingWindow(1);
    const done: string[] = [];
    await window.admit('k', async () => {
      throw new Error('boom');
    });
    await window.admit('k', async () => {
      done.push('after');
    });
    await window.idle();
    assert.deepEqual(done, ['after']);
    assert.equal(window.inFlight(), 0);
  });

  test('refuses a limit that is not a positive integer', () => {
    assert.throws(() => createHandlingWindow(0), RangeError);
    assert.throws(() => createHandlingWindow(1.5), RangeError);
  });
});
