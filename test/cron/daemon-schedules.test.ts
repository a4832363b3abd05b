// The daemon as `serve` starts it fires schedules: an every-second schedule (six fields) writes
// runs through the file sink within a couple of seconds, and stops firing at shutdown.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfigText } from '../../src/config/load.ts';
import { startDaemon } from '../../src/daemon/start-daemon.ts';
import { scheduledConfig } from './scheduler-harness.ts';

let dir: string | undefined;
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runFiles(runsDir: string): Promise<number> {
  try {
    return (await readdir(runsDir, { recursive: true })).filter((f) => String(f).endsWith('.yaml')).length;
  } catch {
    return 0;
  }
}

test('a daemon fires its schedules and stops at shutdown', async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbridge-daemon-cron-'));
  const text = `${scheduledConfig({ cron: '* * * * * *' })}server: { host: 127.0.0.1 }\nsink: { type: file, directory: ${join(dir, 'runs')} }\nstate: { type: file, directory: ${join(dir, 'state')} }\n`;
  const loaded = await loadConfigText(text, { baseDir: dir, fileName: 'daemon.yaml', env: {} });
  const daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: {}, port: 0 });
  const runsDir = join(dir, 'runs');
  const deadline = Date.now() + 5000;
  while ((await runFiles(runsDir)) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await daemon.shutdown('test over');
  const fired = await runFiles(runsDir);
  assert.ok(fired >= 2, `runs written: ${fired}`);
  const metric = await daemon.metrics.scheduleSlots.get();
  assert.ok((metric.values.find((v) => v.labels['outcome'] === 'fired')?.value ?? 0) >= 2);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await runFiles(runsDir), fired, 'nothing fires after shutdown');
});
