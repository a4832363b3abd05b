import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pino } from 'pino';
import type { StatusReport } from '../../src/chaining/status/status-report.ts';
import { startDaemon } from '../../src/daemon/start-daemon.ts';
import { config, loadInline } from '../config/load-inline.ts';
import { completionEvent, rc, ref } from './chaining-harness.ts';

describe('chaining in the daemon', () => {
  test('Daemon.handleCompletion starts downstream runs through the file sink, and GET /status shows them', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'runbridge-daemon-chaining-'));
    const loaded = await loadInline({
      ...config(
        rc('a', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
        rc('b', { parameters: [{ name: 'model', ...ref('a', 'model') }], triggers: { runConfigurations: ['a'] } }),
      ),
      sink: { type: 'file', directory: join(directory, 'runs') },
      state: { type: 'file', directory: join(directory, 'state') },
    });
    const daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: { WEBHOOK_SECRET: 'test-secret' }, port: 0, internalPort: 0 });
    try {
      const outcome = await daemon.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 'r1', artifacts: [{ name: 'model', location: 'gs://m/1' }] }, { id: 'ev-1' }));
      assert.ok(outcome.outcome === 'dispatched');
      const started = outcome.dispatch.matched[0]?.run;
      assert.equal(started?.created, true);
      assert.equal((await readdir(join(directory, 'runs'), { recursive: true })).filter((f) => f.endsWith('.yaml')).length, 1);

      const report = (await (await fetch(`${daemon.internalUrl}/status`)).json()) as StatusReport;
      const b = report.runConfigurations.find((s) => s.runConfiguration === 'ml/b');
      assert.equal(b?.lastFired?.run.name, started?.name);
      assert.deepEqual(b?.dependencies.map((d) => d.location), ['gs://m/1']);
      assert.equal((await daemon.handleCompletion(completionEvent({ runConfigurationName: 'ml/a', runId: 'r1' }, { id: 'ev-2' }))).outcome, 'duplicate');
    } finally {
      await daemon.shutdown('test over');
      await rm(directory, { recursive: true, force: true });
    }
  });
});
