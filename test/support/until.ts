/** Waits until `check` holds, polling every 5 ms; fails the test when it does not within `ms`. */
import assert from 'node:assert/strict';

export async function until(check: () => boolean | Promise<boolean>, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
