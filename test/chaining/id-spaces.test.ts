// One id space per source: a completion whose id is a future schedule tick's id must not take that
// tick's run, nor its dedupe record, and the slot still fires with a run of its own.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { pino } from 'pino';
import { eventKey } from '../../src/events/event-key.ts';
import { PROVENANCE_ANNOTATIONS } from '../../src/render/provenance-keys.ts';
import { createScheduler } from '../../src/sources/cron/create-scheduler.ts';
import { readSlot } from '../../src/sources/cron/slot-record.ts';
import { tickEventId } from '../../src/sources/cron/tick-event.ts';
import { completionEvent, rc, startHarness, type Harness } from './chaining-harness.ts';
import { startTestIntake } from '../support/test-intake.ts';

const config = [
  rc('train', { completionSources: ['http'] }),
  rc('deploy', { triggers: { runConfigurations: ['train'], schedules: [{ cron: '0 3 * * *' }] } }),
];

describe('one id space per source', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  test('a completion carrying a future tick id does not take the tick: the slot fires a run of its own', async () => {
    h = await startHarness(config);
    const slot = new Date('2026-01-16T03:00:00.000Z');
    const forged = completionEvent({ runConfigurationName: 'ml/train', runId: 'kfp-run-1' }, { id: tickEventId('ml/deploy', slot), source: 'http' });
    const answer = await h.handleCompletion(forged);
    assert.equal(answer.outcome, 'dispatched');
    const started = h.runsOf('ml/deploy');
    assert.equal(started.length, 1, 'the completion starts its downstream, as it may');
    assert.equal(started[0]?.metadata.annotations?.[PROVENANCE_ANNOTATIONS.eventId], `http:${forged.id}`, 'under its own key');

    let now = new Date('2026-01-16T00:00:00Z');
    const harness = h;
    const intake = await startTestIntake((event) => harness.dispatch(event), pino({ level: 'silent' }));
    const scheduler = createScheduler({
      runConfigurations: harness.loaded.runConfigurations,
      accept: intake.accept,
      store: harness.store,
      logger: pino({ level: 'silent' }),
      metrics: harness.metrics,
      clock: () => now,
      timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    });
    await scheduler.runDue();
    now = new Date('2026-01-16T03:00:01Z');
    await scheduler.runDue();
    await scheduler.stop();
    await intake.close();

    const runs = h.runsOf('ml/deploy');
    assert.equal(runs.length, 2, 'the tick created its own run');
    const tickRun = runs[1]!;
    assert.equal(tickRun.metadata.annotations?.[PROVENANCE_ANNOTATIONS.eventId], tickEventId('ml/deploy', slot));
    assert.notEqual(tickRun.metadata.name, started[0]?.metadata.name);
    const stored = await readSlot(h.store, 'ml/deploy', 0);
    assert.equal(stored.record?.state, 'fired');
    assert.equal(stored.record?.lastRun?.name, tickRun.metadata.name, 'the slot is counted with its own run');
  });

  test('keys of different sources never meet; the ids runbridge or GitHub made keep their form', () => {
    const id = 'ml/deploy@2026-01-16T03:00:00.000Z';
    assert.equal(eventKey({ source: 'cron', id }), id);
    assert.equal(eventKey({ source: 'http', id }), `http:${id}`);
    assert.equal(eventKey({ source: 'nats', id }), `nats:${id}`);
    assert.equal(eventKey({ source: 'manual', id: 'manual-abc' }), 'manual-abc');
    assert.equal(eventKey({ source: 'github', id: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }), '72d3162e-cc78-11e3-81ab-4c9367dc0958');
    assert.equal(eventKey({ source: 'github', id: 'nats:x' }), 'github:nats:x', 'a GitHub id shaped like another source\'s key is scoped');
    assert.equal(eventKey({ source: 'gitlab', id: 'gitlab:uuid-1' }), 'gitlab:uuid-1', 'an id already in its source\'s space is its own key');
    assert.equal(eventKey({ source: 'kubernetes', id: 'http:x' }), 'kubernetes:http:x');
  });
});
