// The cron source on an injected clock: what fires, what is skipped and why, across DST, windows,
// downtime, crashes and concurrent processes. No test waits for real time to pass.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, IntakeUnavailableError } from '../../src/errors.ts';
import type { DispatchOutcome } from '../../src/dispatch/dispatch-outcome.ts';
import { defaultRunName, submissionKeys } from '../../src/dispatch/submission-record.ts';
import { EVENT_ID_ANNOTATION } from '../../src/sinks/kubernetes/event-id-annotation.ts';
import { readSlot } from '../../src/sources/cron/slot-record.ts';
import { createHarness, loadScheduled, RC, runsOf, scheduledConfig, type Harness } from './scheduler-harness.ts';
import { until } from '../support/until.ts';

const harnesses: Harness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
});

async function harness(schedule: object, start = '2026-01-10T00:00:00Z'): Promise<Harness> {
  const h = await createHarness(scheduledConfig(schedule), { start });
  harnesses.push(h);
  return h;
}

/** Moves the clock from `from` to `to` in steps, letting the scheduler look at each. */
async function walk(h: Harness, scheduler: ReturnType<Harness['scheduler']>, from: string, to: string, stepMinutes: number): Promise<void> {
  for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += stepMinutes * 60_000) await h.at(scheduler, new Date(t));
}

const slotsOf = (h: Harness): string[] => h.ticks.map((t) => t.schedule?.slot ?? '?');
const pick = (record: { slot: string; state: string; accepted?: boolean } | undefined) => record && { slot: record.slot, state: record.state, accepted: record.accepted };

describe('firing', () => {
  test('each slot fires once, as a tick event for its run configuration', async () => {
    const h = await harness({ cron: '0 3 * * *', timezone: 'Europe/London' });
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:00:00Z');
    await h.at(s, '2026-01-10T03:00:00.250Z');
    await h.at(s, '2026-01-10T03:00:05Z');
    await h.at(s, '2026-01-11T03:00:01Z');
    assert.deepEqual(slotsOf(h), ['2026-01-10T03:00:00.000Z', '2026-01-11T03:00:00.000Z']);
    const tick = h.ticks[0]!;
    assert.deepEqual(
      { id: tick.id, source: tick.source, type: tick.type, time: tick.time, trigger: tick.trigger, target: tick.target, schedule: tick.schedule },
      {
        id: 'ml/nightly@2026-01-10T03:00:00.000Z',
        source: 'cron',
        type: 'runbridge.schedule.tick',
        time: '2026-01-10T03:00:00.000Z',
        trigger: 'schedule',
        target: RC,
        schedule: { runConfiguration: RC, slot: '2026-01-10T03:00:00.000Z', timezone: 'Europe/London', cron: '0 3 * * *' },
      },
    );
    const runs = runsOf(h.sink);
    assert.equal(runs.length, 2);
    assert.equal(runs[0]!.metadata.annotations?.[EVENT_ID_ANNOTATION], tick.id);
    const params = (runs[0]!['spec'] as { params: { name: string; value: string }[] }).params;
    assert.deepEqual(params, [{ name: 'slot', value: '2026-01-10T03:00:00.000Z' }], 'templates see the slot, not the clock');
    const { record } = await readSlot(h.store, RC, 0);
    assert.equal(record?.state, 'fired');
    assert.equal(record?.slot, '2026-01-11T03:00:00.000Z');
    assert.equal(record?.lastRun?.name, runs[1]!.metadata.name);
    assert.equal(await h.slots('fired'), 2);
  });

  test('suspend: no tick, each slot counted as skipped_suspended', async () => {
    const h = await harness({ cron: '0 * * * *', suspend: true });
    const s = h.scheduler();
    await walk(h, s, '2026-01-10T00:00:00Z', '2026-01-10T03:30:00Z', 15);
    assert.deepEqual(h.ticks, []);
    assert.equal(await h.slots('skipped_suspended'), 3);
    assert.equal((await readSlot(h.store, RC, 0)).record, undefined, 'suspended slots are not recorded: they count as missed when resumed');
  });

  test('startTime and endTime bound the slots', async () => {
    const h = await harness({ cron: '0 * * * *', startTime: '2026-01-10T05:00:00Z', endTime: '2026-01-10T08:00:00Z' });
    const s = h.scheduler();
    await walk(h, s, '2026-01-10T00:00:00Z', '2026-01-10T12:00:00Z', 30);
    assert.deepEqual(slotsOf(h), ['2026-01-10T05:00:00.000Z', '2026-01-10T06:00:00.000Z', '2026-01-10T07:00:00.000Z']);
    assert.deepEqual(s.status()[0]?.nextSlot, undefined, 'nothing left after endTime');
  });
});

describe('DST, end to end', () => {
  test('Europe/London spring forward: 01:30 does not exist on 29 March and does not fire', async () => {
    const h = await harness({ cron: '30 1 * * *', timezone: 'Europe/London' }, '2026-03-26T12:00:00Z');
    await walk(h, h.scheduler(), '2026-03-26T12:00:00Z', '2026-03-31T12:00:00Z', 30);
    assert.deepEqual(slotsOf(h), ['2026-03-27T01:30:00.000Z', '2026-03-28T01:30:00.000Z', '2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  });

  test('Europe/London fall back: every 30 minutes through the repeated hour fires each local time once', async () => {
    const h = await harness({ cron: '*/30 * * * *', timezone: 'Europe/London' }, '2026-10-24T23:00:00Z');
    await walk(h, h.scheduler(), '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z', 10);
    assert.deepEqual(slotsOf(h), [
      '2026-10-24T23:30:00.000Z', // 00:30 BST
      '2026-10-25T00:00:00.000Z', // 01:00 BST
      '2026-10-25T00:30:00.000Z', // 01:30 BST; 01:00 and 01:30 GMT are the same local times again
      '2026-10-25T02:00:00.000Z', // 02:00 GMT
      '2026-10-25T02:30:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  test('America/New_York: 02:30 is skipped in March, 01:30 fires once in November', async () => {
    const spring = await harness({ cron: '30 2 * * *', timezone: 'America/New_York' }, '2026-03-06T12:00:00Z');
    await walk(spring, spring.scheduler(), '2026-03-06T12:00:00Z', '2026-03-09T12:00:00Z', 30);
    assert.deepEqual(slotsOf(spring), ['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z']);
    const fall = await harness({ cron: '30 1 * * *', timezone: 'America/New_York' }, '2026-10-31T12:00:00Z');
    await walk(fall, fall.scheduler(), '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z', 30);
    assert.deepEqual(slotsOf(fall), ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });
});

describe('downtime: catch-up and starting deadline', () => {
  /** Fires 03:00 on 10 January, then nothing runs until `back`, when a new process starts. */
  async function downtime(schedule: object, back: string): Promise<Harness> {
    const h = await harness(schedule);
    const first = h.scheduler();
    await h.at(first, '2026-01-10T00:00:00Z');
    await h.at(first, '2026-01-10T03:00:00Z');
    assert.equal(h.ticks.length, 1);
    await h.at(h.scheduler(), back);
    return h;
  }

  test('catchUp none (default): slots missed while down do not fire; the next one does', async () => {
    const h = await downtime({ cron: '0 3 * * *' }, '2026-01-13T12:00:00Z');
    assert.equal(h.ticks.length, 1, 'nothing for 11, 12 and 13 January');
    assert.equal(await h.slots('missed'), 1);
    const { record } = await readSlot(h.store, RC, 0);
    assert.deepEqual([record?.slot, record?.state], ['2026-01-13T03:00:00.000Z', 'skipped']);
    const s = h.scheduler();
    await h.at(s, '2026-01-14T03:00:00Z');
    assert.deepEqual(slotsOf(h).slice(1), ['2026-01-14T03:00:00.000Z']);
  });

  test('catchUp latest: the most recent missed slot fires exactly once', async () => {
    const h = await downtime({ cron: '0 3 * * *', catchUp: 'latest' }, '2026-01-13T12:00:00Z');
    assert.deepEqual(slotsOf(h), ['2026-01-10T03:00:00.000Z', '2026-01-13T03:00:00.000Z']);
    assert.equal(h.ticks[1]?.time, '2026-01-13T03:00:00.000Z', 'the event time is the slot, not the restart');
    const again = h.scheduler();
    await h.at(again, '2026-01-13T12:05:00Z');
    assert.equal(h.ticks.length, 2, 'a second restart does not fire it again');
  });

  test('catchUp latest after a month of every-minute slots: one run, not a storm', async () => {
    const h = await downtime({ cron: '* * * * *', catchUp: 'latest' }, '2026-02-10T03:00:30Z');
    assert.equal(runsOf(h.sink).length, 2);
    assert.equal(h.ticks[1]?.schedule?.slot, '2026-02-10T03:00:00.000Z');
  });

  test('startingDeadlineSeconds: too late is skipped_deadline, late but within it fires', async () => {
    const h = await downtime({ cron: '0 * * * *', catchUp: 'latest', startingDeadlineSeconds: 600 }, '2026-01-10T05:20:00Z');
    assert.equal(h.ticks.length, 1);
    assert.equal(await h.slots('skipped_deadline'), 1);
    await h.at(h.scheduler(), '2026-01-10T06:05:00Z');
    assert.deepEqual(slotsOf(h).slice(1), ['2026-01-10T06:00:00.000Z']);
  });

  test('startingDeadlineSeconds with catchUp none behaves like a CronJob: a slot within the deadline still fires', async () => {
    const h = await downtime({ cron: '0 * * * *', startingDeadlineSeconds: 3600 }, '2026-01-10T05:30:00Z');
    assert.deepEqual(slotsOf(h).slice(1), ['2026-01-10T05:00:00.000Z']);
  });
});

describe('crashes, retries and concurrent processes', () => {
  test('a crash between claiming a slot and submitting: a new process fires it once, with the same event id', async () => {
    const h = await harness({ cron: '0 3 * * *' });
    const crashed: string[] = [];
    h.dispatch = async (event) => {
      crashed.push(event.id);
      throw new Error('process killed');
    };
    const first = h.scheduler();
    await h.at(first, '2026-01-10T00:00:00Z');
    await h.at(first, '2026-01-10T03:00:00Z');
    assert.equal((await readSlot(h.store, RC, 0)).record?.state, 'claimed', 'claimed before dispatch');
    assert.equal(runsOf(h.sink).length, 0);

    h.dispatch = h.dispatcher;
    await h.at(h.scheduler(), '2026-01-10T03:00:40Z');
    assert.deepEqual(h.ticks.map((t) => t.id), crashed, 'retried with the same event id');
    assert.equal(runsOf(h.sink).length, 1);
    assert.equal((await readSlot(h.store, RC, 0)).record?.state, 'fired');
    await h.at(h.scheduler(), '2026-01-10T03:01:00Z');
    assert.equal(runsOf(h.sink).length, 1, 'and only once');
  });

  test('a crash after the run was created but before it was recorded: the retry finds the run, no second one', async () => {
    const h = await harness({ cron: '0 3 * * *' });
    h.dispatch = async (event) => {
      await h.dispatcher(event);
      for (const key of submissionKeys(event.id, RC, defaultRunName(event.id, RC))) await h.store.delete(key);
      throw new Error('process killed');
    };
    const first = h.scheduler();
    await h.at(first, '2026-01-10T00:00:00Z');
    await h.at(first, '2026-01-10T03:00:00Z');
    h.dispatch = h.dispatcher;
    await h.at(h.scheduler(), '2026-01-10T03:00:30Z');
    assert.equal(h.ticks.length, 2);
    assert.equal(h.ticks[0]?.id, h.ticks[1]?.id);
    assert.equal(runsOf(h.sink).length, 1);
  });

  test('a claimed slot whose tick the intake could not store is given up once the next slot is due', async () => {
    const h = await harness({ cron: '0 * * * *' });
    const refused = async (): Promise<never> => {
      throw new IntakeUnavailableError('the intake cannot store events now', { retryAfterSeconds: 10 });
    };
    const first = h.scheduler({ accept: refused });
    await h.at(first, '2026-01-10T00:00:00Z');
    await h.at(first, '2026-01-10T01:00:00Z');
    await h.at(h.scheduler(), '2026-01-10T02:00:10Z');
    assert.deepEqual(slotsOf(h), ['2026-01-10T02:00:00.000Z']);
    assert.equal(await h.slots('failed'), 1, 'the 01:00 slot, never stored');
    assert.equal(h.ticks.length, 1, 'only the 02:00 slot reached the dispatcher');
  });

  test('a slot whose tick the intake stored is handed to the intake when the next slot is due: the intake creates its run', async () => {
    const h = await harness({ cron: '0 * * * *' });
    let down = true;
    const accept = await h.acceptThrough(async (event) => {
      if (down) throw new Error('API server unreachable');
      return h.dispatcher(event);
    }, 0.05);
    const s = h.scheduler({ accept });
    await h.at(s, '2026-01-10T00:00:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    assert.deepEqual(pick((await readSlot(h.store, RC, 0)).record), { slot: '2026-01-10T01:00:00.000Z', state: 'claimed', accepted: true });
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(await h.slots('fired'), 1, 'the 01:00 slot is handed to the intake, not given up');
    assert.equal(await h.slots('failed'), 0);
    down = false;
    await until(() => runsOf(h.sink).length === 2, 5_000, 'both ticks created by the intake');
    assert.deepEqual(slotsOf(h).sort(), ['2026-01-10T01:00:00.000Z', '2026-01-10T02:00:00.000Z']);
    await h.at(s, '2026-01-10T02:01:30Z');
    assert.deepEqual(pick((await readSlot(h.store, RC, 0)).record), { slot: '2026-01-10T02:00:00.000Z', state: 'fired', accepted: true }, 'a later look confirms the 02:00 slot from its submission record');
    assert.equal(runsOf(h.sink).length, 2, 'nothing twice');
  });

  test('a retryable failure is tried again after the retry delay; a permanent one is recorded and not retried', async () => {
    const h = await harness({ cron: '0 * * * *' });
    let calls = 0;
    const failing = (retryable: boolean) => async (event: Parameters<Harness['dispatch']>[0]): Promise<DispatchOutcome> => {
      calls++;
      const error = { code: retryable ? 'RB_SINK' : 'RB_RENDER', status: retryable ? 503 : 422, message: retryable ? 'API server unavailable' : 'bad template', retryable };
      return { eventId: event.id, eventType: event.type, source: event.source, matched: [{ runConfiguration: RC, trigger: 'schedule', error }], skipped: [] };
    };
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:00:00Z');
    h.dispatch = failing(true);
    await h.at(s, '2026-01-10T01:00:00Z');
    await h.at(s, '2026-01-10T01:00:30Z');
    assert.equal(calls, 1, 'not before the retry delay (60 s here)');
    h.dispatch = h.dispatcher;
    await h.at(s, '2026-01-10T01:01:00Z');
    assert.deepEqual(slotsOf(h), ['2026-01-10T01:00:00.000Z']);

    h.dispatch = failing(false);
    await h.at(s, '2026-01-10T02:00:00Z');
    await h.at(s, '2026-01-10T02:30:00Z');
    assert.equal(calls, 2);
    assert.equal((await readSlot(h.store, RC, 0)).record?.state, 'failed');
    h.dispatch = h.dispatcher;
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.deepEqual(slotsOf(h), ['2026-01-10T01:00:00.000Z', '2026-01-10T03:00:00.000Z']);
  });

  test('two processes on one state store: compare-and-set lets exactly one take each slot', async () => {
    const h = await harness({ cron: '*/5 * * * *' });
    const [a, b] = [h.scheduler(), h.scheduler()];
    for (let minute = 0; minute <= 60; minute += 5) {
      h.now = new Date(Date.UTC(2026, 0, 10, 1, minute, 0, 100));
      await Promise.all([a.runDue(), b.runDue()]);
    }
    const slots = slotsOf(h);
    assert.equal(slots.length, 12);
    assert.equal(new Set(slots).size, 12, 'no slot twice');
    assert.equal(runsOf(h.sink).length, 12);
  });
});

describe('timers and leadership', () => {
  test('the timer is armed for the next slot and fires it', async () => {
    const h = await harness({ cron: '0 3 * * *' });
    const armed: { callback: () => void; ms: number }[] = [];
    const s = h.scheduler({ timers: { setTimeout: (callback, ms) => armed.push({ callback, ms }), clearTimeout: () => undefined }, maxSleepMs: 86_400_000 });
    h.now = new Date('2026-01-10T02:59:00Z');
    s.start();
    await s.runDue();
    assert.equal(armed.at(-1)?.ms, 60_000);
    h.now = new Date('2026-01-10T03:00:00.010Z');
    armed.at(-1)!.callback();
    await s.runDue();
    assert.deepEqual(slotsOf(h), ['2026-01-10T03:00:00.000Z']);
    assert.equal(armed.at(-1)?.ms, 86_400_000 - 10, 'then armed for tomorrow');
    await s.stop();
  });

  test('only the leader fires; a replica that becomes leader catches up a slot that is still on time', async () => {
    const h = await harness({ cron: '0 3 * * *' });
    let leader = false;
    const armed: number[] = [];
    const s = h.scheduler({ isLeader: () => leader, followerPollMs: 1000, timers: { setTimeout: (_c, ms) => armed.push(ms), clearTimeout: () => undefined } });
    s.start();
    await h.at(s, '2026-01-10T00:00:00Z');
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.deepEqual(h.ticks, []);
    assert.equal(armed.at(-1), 1000, 'a standby polls for leadership');
    leader = true;
    h.now = new Date('2026-01-10T03:00:12Z');
    s.wake();
    await s.runDue();
    assert.deepEqual(slotsOf(h), ['2026-01-10T03:00:00.000Z']);
    await s.stop();
  });
});

for (const cron of ['0 0 31 2 *', '0 0 30 2 *', '0 12 31 4,6,9,11 *', '0 0 0 31 2 *']) {
  test(`an impossible schedule (${cron}) is rejected at load with its field path`, async () => {
    await assert.rejects(loadScheduled(scheduledConfig({ cron: '@daily' }, { cron }), new Date('2026-01-10T00:00:00Z')), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.issues.length, 1);
      assert.equal(error.issues[0]?.path, 'runConfigurations[0].triggers.schedules[1].cron');
      assert.match(error.issues[0]?.message ?? '', /never fires \(no matching date\)/);
      return true;
    });
  });
}
