// The intake's rules, each against a real file state store in a temporary directory.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pino from 'pino';
import { IntakeNotFoundError, IntakeUnavailableError } from '../../src/errors.ts';
import type { AttemptResult } from '../../src/intake/attempt-result.ts';
import { createIntake, type IntakeOptions } from '../../src/intake/create-intake.ts';
import type { IntakeEntry } from '../../src/intake/intake-record.ts';
import { stateIntakeStore, type IntakeStore } from '../../src/intake/intake-store.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import type { StateStore } from '../../src/state/store.ts';
import { until } from '../support/until.ts';

const scratch: string[] = [];
after(async () => Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true }))));

async function freshStore(): Promise<{ state: StateStore; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-intake-'));
  scratch.push(dir);
  return { state: createFileStore({ directory: dir }), dir };
}

const event = (id: string): RunbridgeEvent => ({ id, source: 'github', type: 'github.push', time: '2026-12-06T10:00:00.000Z', trigger: 'git', data: { ref: 'refs/heads/main' } });
const entry = (id: string) => ({ id, kind: 'dispatch' as const, event: event(id) });
const policy = { initialDelayMs: 5, maxDelayMs: 20, maxAgeMs: 60_000, random: () => 0.5 };
const bounds = { maxPending: 100, maxPendingBytes: 1_000_000 };
const logger = pino({ level: 'silent' });

function intakeWith(store: IntakeStore, process: IntakeOptions<string>['process'], extra: Partial<IntakeOptions<string>> = {}) {
  return createIntake<string>({ store, process, policy, bounds, answerWithinMs: 200, logger, ...extra });
}

const done = (answer = 'ran'): AttemptResult<string> => ({ result: 'done', answer });
const retry = (reason = 'API server unreachable'): AttemptResult<string> => ({ result: 'retry', reason, answer: 'not yet' });

describe('intake', () => {
  test('an event is stored durably before it is processed, and once done its payload is dropped', async () => {
    const { state, dir } = await freshStore();
    const store = stateIntakeStore(state);
    const seen: (string | undefined)[] = [];
    const intake = intakeWith(store, async (e: IntakeEntry) => {
      // What a crash at this point would leave: read back from the directory by a second store.
      const reopened = stateIntakeStore(createFileStore({ directory: dir }));
      seen.push((await reopened.get(e.id))?.record.state);
      return done(`runs for ${e.id}`);
    });
    await intake.start();
    const submitted = await intake.submit(entry('github:d1'));
    assert.deepEqual(submitted, { state: 'done', duplicate: false, answer: 'runs for github:d1' });
    assert.deepEqual(seen, ['pending']);
    // The answer does not wait for the record that says done (below); it follows at once.
    await until(async () => (await store.get('github:d1'))?.record.state === 'done');
    const record = (await store.get('github:d1'))?.record;
    assert.equal(record?.state, 'done');
    assert.equal(record?.attempts, 1);
    assert.equal(record?.event, undefined);
    await intake.stop(100);
    await state.close();
  });

  test('a done event is answered once its path has run, before its record is written; a crash before that write runs it again', async () => {
    const { state, dir } = await freshStore();
    const real = stateIntakeStore(state);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // A store whose updates wait: the process "dies" while the done record is being written.
    const slowUpdates: IntakeStore = { ...real, update: async (record, revision) => (await held, real.update(record, revision)) };
    const ran: string[] = [];
    const first = intakeWith(slowUpdates, async (e) => (ran.push(e.id), done(`runs for ${e.id}`)));
    await first.start();
    assert.deepEqual(await first.submit(entry('github:early')), { state: 'done', duplicate: false, answer: 'runs for github:early' });
    assert.equal((await real.get('github:early'))?.record.state, 'pending');
    // The next process finds the event pending and runs its path again (which finds its runs).
    const next = intakeWith(stateIntakeStore(createFileStore({ directory: dir })), async (e) => (ran.push(e.id), done()));
    await next.start();
    await until(() => next.pendingCount() === 0);
    assert.deepEqual(ran, ['github:early', 'github:early']);
    release();
    await next.stop(100);
    await first.stop(100);
    await state.close();
  });

  test('a passing failure answers pending, then the event is retried with backoff until it is done', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    let calls = 0;
    const intake = intakeWith(store, async () => (++calls < 3 ? retry() : done()));
    await intake.start();
    const submitted = await intake.submit(entry('github:d2'));
    assert.equal(submitted.state, 'pending');
    assert.equal(submitted.state === 'pending' && submitted.record.reason, 'API server unreachable');
    assert.equal(submitted.state === 'pending' && submitted.answer, 'not yet');
    await until(async () => (await store.get('github:d2'))?.record.state === 'done');
    assert.equal(calls, 3);
    assert.equal((await store.get('github:d2'))?.record.attempts, 3);
    assert.deepEqual(intake.backlog().pending, []);
    await intake.stop(100);
    await state.close();
  });

  test('an attempt slower than the answer deadline answers pending and still finishes', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const intake = intakeWith(store, async () => (await gate, done()), { answerWithinMs: 20 });
    await intake.start();
    const submitted = await intake.submit(entry('github:slow'));
    assert.equal(submitted.state, 'pending');
    assert.equal(submitted.state === 'pending' && submitted.answer, undefined);
    release();
    await until(async () => (await store.get('github:slow'))?.record.state === 'done');
    await intake.stop(100);
    await state.close();
  });

  test('a permanent failure is a dead letter: kept with its reason and status, listed, and retryable once fixed', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    let fixed = false;
    const intake = intakeWith(store, async () => (fixed ? done('fixed') : { result: 'dead', reason: 'parameter image rejected by the template', status: 422, answer: 'rejected' }));
    await intake.start();
    const submitted = await intake.submit(entry('github:bad'));
    assert.equal(submitted.state, 'dead');
    assert.equal(submitted.state === 'dead' && submitted.record.status, 422);
    assert.deepEqual(intake.backlog().dead.map((r) => [r.id, r.reason]), [['github:bad', 'parameter image rejected by the template']]);
    // A redelivery of a dead letter does not run it again.
    const again = await intake.submit(entry('github:bad'));
    assert.equal(again.state, 'dead');
    assert.equal(again.duplicate, true);
    fixed = true;
    assert.deepEqual(await intake.retry('github:bad'), { state: 'done', duplicate: false, answer: 'fixed' });
    assert.deepEqual(intake.backlog().dead, []);
    await assert.rejects(intake.retry('github:bad'), IntakeNotFoundError);
    await intake.stop(100);
    await state.close();
  });

  test('a redelivery while the first attempt runs waits for that attempt: never two attempts at once', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    let running = 0;
    let most = 0;
    const intake = intakeWith(store, async () => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return done();
    });
    await intake.start();
    const [first, second] = await Promise.all([intake.submit(entry('github:twice')), intake.submit(entry('github:twice'))]);
    assert.equal(most, 1);
    assert.deepEqual([first.state, first.duplicate], ['done', false]);
    assert.deepEqual([second.state, second.duplicate], ['done', true]);
    await intake.stop(100);
    await state.close();
  });

  test('a redelivery of a done event is answered from a fresh run of its path; the record stays done', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    let calls = 0;
    const intake = intakeWith(store, async () => done(`answer ${++calls}`));
    await intake.start();
    await intake.submit(entry('github:again'));
    await until(() => intake.pendingCount() === 0);
    assert.deepEqual(await intake.submit(entry('github:again')), { state: 'done', duplicate: true, answer: 'answer 2' });
    assert.equal((await store.get('github:again'))?.record.attempts, 1);
    await intake.stop(100);
    await state.close();
  });

  test('over its bound the intake refuses new events with 503 and stores nothing', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    const intake = intakeWith(store, async () => retry(), { bounds: { maxPending: 1, maxPendingBytes: 1_000_000 }, answerWithinMs: 5 });
    await intake.start();
    assert.equal((await intake.submit(entry('github:one'))).state, 'pending');
    await assert.rejects(intake.submit(entry('github:two')), (error: unknown) => error instanceof IntakeUnavailableError && error.status === 503 && error.retryAfterSeconds > 0);
    assert.equal(await store.get('github:two'), undefined);
    await intake.stop(100);
    await state.close();
  });

  test('the byte bound counts each pending event at the size it arrived as, or at its JSON size when that is not given', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    const intake = intakeWith(store, async () => retry(), { bounds: { maxPending: 100, maxPendingBytes: 10_000 }, answerWithinMs: 5 });
    await intake.start();
    assert.equal((await intake.submit({ ...entry('github:big-1'), bytes: 6_000 })).state, 'pending');
    await assert.rejects(intake.submit({ ...entry('github:big-2'), bytes: 6_000 }), (error: unknown) => error instanceof IntakeUnavailableError && error.status === 503);
    assert.equal(await store.get('github:big-2'), undefined, 'nothing of the refused event is stored');
    // Without a size, the event's JSON is measured: a small event still fits.
    assert.equal((await intake.submit(entry('github:small'))).state, 'pending');
    assert.equal(intake.pendingCount(), 2);
    await intake.stop(100);
    await state.close();
  });

  test('storage that fails refuses the event (503) and processes nothing', async () => {
    const failing: IntakeStore = {
      create: async () => {
        throw new Error('EROFS: read-only file system');
      },
      update: async () => 1,
      get: async () => undefined,
      list: async () => [],
    };
    let calls = 0;
    const intake = intakeWith(failing, async () => (calls++, done()));
    await intake.start();
    await assert.rejects(intake.submit(entry('github:ro')), (error: unknown) => error instanceof IntakeUnavailableError && !/EROFS/.test(error.message));
    assert.equal(calls, 0);
    await intake.stop(100);
  });

  test('pending events survive a restart and are processed by the next process', async () => {
    const { state, dir } = await freshStore();
    const first = intakeWith(stateIntakeStore(state), async () => retry(), { policy: { ...policy, initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await first.start();
    assert.equal((await first.submit(entry('github:kept'))).state, 'pending');
    await first.stop(100);
    await state.close();

    const reopened = createFileStore({ directory: dir });
    const processed: string[] = [];
    const second = intakeWith(stateIntakeStore(reopened), async (e) => (processed.push(e.id), done()), { policy: { ...policy, initialDelayMs: 1, maxDelayMs: 1 } });
    // Its next attempt was due in a minute: the restarted process keeps that time.
    await second.start();
    assert.equal(second.backlog().pending.length, 1);
    assert.ok(second.oldestPendingAgeMs() >= 0);
    await second.stop(10);
    await reopened.close();
  });

  test('an event that keeps failing past the maximum age becomes a dead letter with the last reason', async () => {
    const { state } = await freshStore();
    const store = stateIntakeStore(state);
    const intake = intakeWith(store, async () => retry('connection refused'), { policy: { initialDelayMs: 5, maxDelayMs: 10, maxAgeMs: 40, random: () => 1 } });
    await intake.start();
    await intake.submit(entry('github:old'));
    await until(async () => (await store.get('github:old'))?.record.state === 'dead');
    const record = (await store.get('github:old'))?.record;
    assert.match(record?.reason ?? '', /gave up after \d+ attempts.*connection refused/);
    assert.ok(record?.event, 'a dead letter keeps its event for a retry');
    await intake.stop(100);
    await state.close();
  });
});
