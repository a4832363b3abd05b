// concurrencyPolicy with the file sink (the embedded default): a run file has no live status, so
// a run counts as running until a completion is noted in the state store.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordCompletion } from '../../src/runs/completion-record.ts';
import { createFileRunControl } from '../../src/sinks/file-run-control.ts';
import { createFileSink, type FileSink } from '../../src/sinks/file-sink.ts';
import { readSlot } from '../../src/sources/cron/slot-record.ts';
import { createHarness, RC, scheduledConfig, type Harness } from './scheduler-harness.ts';

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanup) await c();
});

async function fileHarness(schedules: object[]): Promise<{ h: Harness; sink: FileSink }> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-policy-'));
  const sink = createFileSink({ directory: dir });
  const h = await createHarness(scheduledConfig(...schedules), { start: '2026-01-10T00:00:00Z', sink, runControl: createFileRunControl({ sink }) });
  cleanup.push(() => h.close(), () => rm(dir, { recursive: true, force: true }));
  return { h, sink };
}

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

describe('concurrencyPolicy with the file sink', () => {
  test('Forbid skips slots while the previous run has no completion, then fires again', async () => {
    const { h } = await fileHarness([{ cron: '0 * * * *', concurrencyPolicy: 'Forbid' }]);
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(h.ticks.length, 1);
    assert.equal(await h.slots('skipped_forbid'), 1);
    const { record } = await readSlot(h.store, RC, 0);
    assert.equal(record?.state, 'skipped');
    assert.match(record?.reason ?? '', /^concurrencyPolicy Forbid: CustomRun ml\/nightly-[0-9a-f]+ still running$/);

    await recordCompletion(h.store, { namespace: 'ml', name: record!.lastRun!.name, status: 'succeeded', recordedAt: h.now.toISOString() });
    await h.at(s, '2026-01-10T03:00:00Z');
    assert.deepEqual(h.ticks.map((t) => t.schedule?.slot), ['2026-01-10T01:00:00.000Z', '2026-01-10T03:00:00.000Z']);
  });

  test('Forbid decides once, before the intake has the tick: a later look at a slot the intake stored confirms it, even with a run now running', async () => {
    const { h } = await fileHarness([
      { cron: '0 * * * *', concurrencyPolicy: 'Forbid' },
      { cron: '30 * * * *', concurrencyPolicy: 'Forbid' },
    ]);
    // A claimed slot is looked at again 45 minutes later.
    const s = h.scheduler({ retryDelayMs: () => 45 * 60_000 });
    await h.at(s, '2026-01-10T00:45:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = (await readSlot(h.store, RC, 0)).record!.lastRun!;
    await recordCompletion(h.store, { namespace: 'ml', name: first.name, status: 'succeeded', recordedAt: h.now.toISOString() });
    // 02:00: nothing runs, so Forbid lets the slot through; the API server is down, the intake keeps the tick.
    h.dispatch = async () => {
      throw new Error('API server unreachable');
    };
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.deepEqual({ state: (await readSlot(h.store, RC, 0)).record?.state, accepted: (await readSlot(h.store, RC, 0)).record?.accepted }, { state: 'claimed', accepted: true });
    // 02:30: the other schedule starts a run, which is still running when the 02:00 slot is looked at again.
    h.dispatch = h.dispatcher;
    await h.at(s, '2026-01-10T02:30:00Z');
    await h.at(s, '2026-01-10T02:45:00Z');
    assert.equal(await h.slots('skipped_forbid'), 0, 'the 02:00 slot was decided before its tick was stored');
    assert.equal((await readSlot(h.store, RC, 0)).record?.state, 'fired');
    assert.deepEqual(h.ticks.map((t) => t.schedule?.slot).sort(), ['2026-01-10T01:00:00.000Z', '2026-01-10T02:00:00.000Z', '2026-01-10T02:30:00.000Z']);
  });

  test('Replace removes the previous run file and writes the new one', async () => {
    const { h, sink } = await fileHarness([{ cron: '0 * * * *', concurrencyPolicy: 'Replace' }]);
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    const first = (await readSlot(h.store, RC, 0)).record!.lastRun!;
    const firstFile = sink.pathOf({ apiVersion: first.apiVersion, kind: first.kind, metadata: { name: first.name, namespace: first.namespace } });
    assert.ok(await exists(firstFile));
    await h.at(s, '2026-01-10T02:00:00Z');
    const second = (await readSlot(h.store, RC, 0)).record!.lastRun!;
    assert.notEqual(second.name, first.name);
    assert.equal(await exists(firstFile), false, 'the previous run was removed');
    assert.ok(await exists(sink.pathOf({ apiVersion: second.apiVersion, kind: second.kind, metadata: { name: second.name, namespace: second.namespace } })));
    assert.equal(await h.slots('replaced'), 1);
  });

  test('Forbid looks at the runs of every schedule of the run configuration', async () => {
    const { h } = await fileHarness([{ cron: '0 1 * * *' }, { cron: '0 2 * * *', concurrencyPolicy: 'Forbid' }]);
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.deepEqual(h.ticks.map((t) => t.schedule?.slot), ['2026-01-10T01:00:00.000Z'], 'the 01:00 run of schedules[0] is still running');
    assert.equal(await h.slots('skipped_forbid'), 1);
  });

  test('Allow never looks', async () => {
    const { h } = await fileHarness([{ cron: '0 * * * *' }]);
    const s = h.scheduler();
    await h.at(s, '2026-01-10T00:30:00Z');
    await h.at(s, '2026-01-10T01:00:00Z');
    await h.at(s, '2026-01-10T02:00:00Z');
    assert.equal(h.ticks.length, 2);
  });
});
