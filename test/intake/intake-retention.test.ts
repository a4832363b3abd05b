// The file intake's retention, on a simulated clock: done records are dropped after the retention,
// pending events and dead letters never; memory stays flat over many distinct deliveries.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, test } from 'node:test';
import pino from 'pino';
import { intakeSchema } from '../../src/config/intake-schema.ts';
import type { DispatchOutcome } from '../../src/dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { createIntake } from '../../src/intake/create-intake.ts';
import { intakeRetention, stateIntakeStore } from '../../src/intake/intake-store.ts';
import { openIntake } from '../../src/intake/open-intake.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { retentionByPrefix } from '../../src/state/retention.ts';
import { until } from '../support/until.ts';

const HOUR = 3_600_000;
const logger = pino({ level: 'silent' });
const directories: string[] = [];
after(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});
async function directory(): Promise<string> {
  const made = await mkdtemp(join(tmpdir(), 'runbridge-intake-retention-'));
  directories.push(made);
  return made;
}

const event = (id: string): RunbridgeEvent => ({ id, source: 'github', type: 'github.push', time: '2026-01-01T00:00:00.000Z', trigger: 'git', data: { ref: 'refs/heads/main' } });
const run = { apiVersion: 'v1', kind: 'Run', namespace: 'ml', name: 'train-0123456789', created: true, dryRun: false, location: 'memory:x' };

/** Done for `done-*`, a template error for `dead-*`, the API server away for `wait-*`. */
async function dispatch(e: RunbridgeEvent): Promise<DispatchOutcome> {
  const failure = (status: number, retryable: boolean) => ({ runConfiguration: 'ml/train', trigger: 'git[0]', error: { code: 'RB_TEST', status, message: `failed ${status}`, retryable } });
  const matched = e.id.startsWith('dead-') ? [failure(422, false)] : e.id.startsWith('wait-') ? [failure(503, true)] : [{ runConfiguration: 'ml/train', trigger: 'git[0]', run }];
  return { eventId: e.id, eventType: e.type, source: e.source, matched, skipped: [] };
}

describe('file intake retention', () => {
  test('a done record is dropped after the retention, also across a restart; pending events and dead letters stay', async () => {
    const dir = await directory();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const config = intakeSchema.parse({ directory: dir, retry: { initialDelaySeconds: 3600, maxDelaySeconds: 3600 }, maxAgeHours: 720 });
    const open = () =>
      openIntake(config, {
        baseDir: dir,
        answerWithinMs: 2_000,
        doneRetentionMs: 168 * HOUR,
        dispatch,
        handleCompletion: () => Promise.reject(new Error('no completions here')),
        logger,
        clock: () => new Date(now),
      });
    const first = open();
    await first.intake.start();
    assert.equal((await first.acceptEvent(event('done-1'))).state, 'done');
    assert.equal((await first.acceptEvent(event('dead-1'))).state, 'dead');
    assert.equal((await first.acceptEvent(event('wait-1'))).state, 'pending');
    now += 167 * HOUR;
    assert.equal((await first.intake.get('github:done-1'))?.state, 'done', 'kept within the retention');
    const redelivered = await first.acceptEvent(event('done-1'));
    assert.deepEqual([redelivered.state, redelivered.duplicate], ['done', true], 'a redelivery within it is a duplicate');
    now += 2 * HOUR;
    assert.equal(await first.intake.get('github:done-1'), undefined, 'dropped after it');
    assert.equal((await first.intake.get('github:dead-1'))?.state, 'dead');
    assert.equal((await first.intake.get('github:wait-1'))?.state, 'pending');
    await first.intake.stop(100);
    await first.close();

    now += 1000 * HOUR;
    const second = open();
    await second.intake.start();
    assert.equal(await second.intake.get('github:done-1'), undefined);
    assert.deepEqual(second.intake.backlog().dead.map((r) => r.id), ['github:dead-1'], 'a dead letter outlives any retention');
    assert.deepEqual(second.intake.backlog().pending.map((r) => r.id), ['github:wait-1'], 'so does a pending event');
    // After its record is gone a redelivery is accepted anew (the run names keep it from running twice).
    const late = await second.acceptEvent(event('done-1'));
    assert.deepEqual([late.state, late.duplicate], ['done', false]);
    await second.intake.stop(100);
    await second.close();
  });

  test('200,000 distinct deliveries: the live records and the heap stay flat', { timeout: 180_000 }, async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = await directory();
    let now = Date.parse('2026-01-01T00:00:00Z');
    // One delivery a second, done records kept 20,000 s: at most 20,000 alive at a time.
    const lifetime = 20_000_000;
    const state = createFileStore({ directory: dir, retention: retentionByPrefix([intakeRetention(lifetime)]), now: () => now });
    const intake = createIntake<DispatchOutcome>({
      store: stateIntakeStore(state),
      process: async (entry) => ({ result: 'done', answer: await dispatch(entry.event) }),
      policy: { initialDelayMs: 1000, maxDelayMs: 1000, maxAgeMs: 24 * HOUR },
      bounds: { maxPending: 10_000, maxPendingBytes: 100_000_000 },
      answerWithinMs: 10_000,
      logger,
      clock: () => new Date(now),
    });
    await intake.start();
    const total = 200_000;
    const batch = 2_000;
    const heap: number[] = [];
    const live: number[] = [];
    const started = performance.now();
    for (let i = 0; i < total; i += batch) {
      const submits: Promise<unknown>[] = [];
      for (let j = i; j < i + batch; j++) {
        now += 1000;
        submits.push(intake.submit({ id: `github:delivery-${j}`, kind: 'dispatch', event: event(`delivery-${j}`) }));
      }
      const answers = await Promise.all(submits);
      assert.ok(answers.every((a) => (a as { state: string }).state === 'done'));
      if ((i + batch) % 20_000 === 0) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
        live.push((await state.keys('intake.')).length);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // Answers come once each event's path has run; its done record is written right after.
    await until(() => intake.pendingCount() === 0, 10_000, 'every done record written');
    await intake.stop(100);
    await state.close();
    const mb = heap.map((h) => Math.round(h / 2 ** 20));
    console.log(`200,000 deliveries through the file intake in ${seconds.toFixed(1)} s; live records per 20k: ${live.join(', ')}; heap MB per 20k: ${mb.join(', ')}`);
    for (const count of live) assert.ok(count <= lifetime / 1000 + batch, `live records bounded by the retention window: ${count}`);
    const settled = heap.slice(1);
    const growth = Math.max(...settled) - Math.min(...settled);
    assert.ok(growth < 30 * 2 ** 20, `heap flat from 40k to 200k deliveries (grew ${Math.round(growth / 2 ** 20)} MB: ${mb.join(', ')})`);
  });
});
