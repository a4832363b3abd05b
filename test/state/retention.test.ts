// Retention in the file store: records made per event expire on a clock the test moves, the latest
// of a run configuration does not, and memory stays flat over a million distinct deliveries.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, test } from 'node:test';
import { submissionKey } from '../../src/dispatch/submission-record.ts';
import { latestRunsKey } from '../../src/chaining/latest-runs.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { stateRetention } from '../../src/state/retention.ts';

const HOUR = 3600_000;
const directories: string[] = [];
after(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});
async function directory(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'runbridge-retention-'));
  directories.push(made);
  return made;
}

describe('retention in the file store', () => {
  test('a dedupe record expires after its lifetime, at once and after a restart; the latest artifacts never do', async () => {
    const dir = await directory();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const options = { directory: dir, retention: stateRetention({ dedupeMs: 168 * HOUR }), now: () => now };
    const store = createFileStore(options);
    const dedupe = submissionKey('delivery-1', 'ml/train');
    const first = await store.put(dedupe, { run: 'a' }, 0);
    await store.put(latestRunsKey('ml/train'), { succeeded: 'run-1' });
    now += 167 * HOUR;
    assert.deepEqual((await store.get(dedupe))?.value, { run: 'a' }, 'alive within its 7 days');
    now += 2 * HOUR;
    assert.equal(await store.get(dedupe), undefined, 'gone after them');
    assert.deepEqual(await store.keys('submissions.'), []);
    await store.close();

    const reopened = createFileStore(options);
    assert.equal(await reopened.get(dedupe), undefined, 'dropped at load');
    assert.deepEqual((await reopened.get(latestRunsKey('ml/train')))?.value, { succeeded: 'run-1' }, 'the latest artifacts stay');
    const again = await reopened.put(dedupe, { run: 'b' }, 0);
    assert.ok(again > first, `a key created again after expiry gets a higher revision (${again} > ${first})`);
    await reopened.close();
  });

  test('a million distinct deliveries: the live records and the heap stay flat', { timeout: 120_000 }, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = await directory();
    let now = Date.parse('2026-01-01T00:00:00Z');
    // One delivery a second, records living 50,000 s: at most 50,000 alive at a time.
    const lifetime = 50_000_000;
    const store = createFileStore({ directory: dir, retention: stateRetention({ dedupeMs: lifetime }), now: () => now });
    const total = 1_000_000;
    const batch = 5_000;
    const heap: number[] = [];
    const live: number[] = [];
    const started = performance.now();
    const value = { eventId: '', runConfiguration: 'ml/train', trigger: 'git[0]', run: { apiVersion: 'v1', kind: 'Run', namespace: 'ml', name: 'train-0123456789', created: true, dryRun: false, location: 'memory:x' }, submittedAt: '2026-01-01T00:00:00Z' };
    for (let i = 0; i < total; i += batch) {
      const writes: Promise<number>[] = [];
      for (let j = i; j < i + batch; j++) {
        now += 1000;
        writes.push(store.put(submissionKey(`delivery-${j}`, 'ml/train'), { ...value, eventId: `delivery-${j}` }, 0));
      }
      await Promise.all(writes);
      if ((i + batch) % 100_000 === 0) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
        live.push((await store.keys('submissions.')).length);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    const mb = heap.map((h) => Math.round(h / 2 ** 20));
    console.log(`1,000,000 deliveries in ${seconds.toFixed(1)} s; live records per 100k: ${live.join(', ')}; heap MB per 100k: ${mb.join(', ')}`);
    for (const count of live) assert.ok(count <= lifetime / 1000 + batch, `live records bounded by the lifetime window: ${count}`);
    const settled = heap.slice(1);
    const growth = Math.max(...settled) - Math.min(...settled);
    assert.ok(growth < 40 * 2 ** 20, `heap flat from 200k to 1M deliveries (grew ${Math.round(growth / 2 ** 20)} MB: ${mb.join(', ')})`);
  });
});
