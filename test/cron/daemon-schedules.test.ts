// The daemon as `serve` starts it fires schedules: an every-second schedule (six fields) writes
// runs through the file sink within a couple of seconds, and stops firing at shutdown. And the
// schedules' setup refuses, before anything starts, what could not work.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfigText } from '../../src/config/load.ts';
import { startDaemon } from '../../src/daemon/start-daemon.ts';
import { ConfigError } from '../../src/errors.ts';
import { createSchedules } from '../../src/sources/cron/create-schedules.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { scheduledConfig } from './scheduler-harness.ts';

let dir: string | undefined;
const scratch: string[] = [];
after(async () => {
  for (const d of [dir, ...scratch]) if (d) await rm(d, { recursive: true, force: true });
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
  const daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: {}, port: 0, internalPort: 0 });
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

describe('createSchedules refuses what cannot work, before anything starts', () => {
  const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;
  const store = createFileStore({ directory: join(tmpdir(), 'runbridge-unused-state') });
  const runControl = { get: async () => assert.fail('no run is read back'), cancel: async () => assert.fail('no run is cancelled') };
  const options = { store, runControl, accept: async () => assert.fail('nothing is accepted'), logger: pino({ level: 'silent' }), env: {} };

  async function load(extra: string): Promise<Parameters<typeof createSchedules>[0]> {
    const base = await mkdtemp(join(tmpdir(), 'runbridge-schedules-'));
    scratch.push(base);
    await writeFile(join(base, 'kubeconfig'), KUBECONFIG);
    return loadConfigText(`${scheduledConfig({ cron: '@daily', concurrencyPolicy: 'Forbid' })}${extra}`, { baseDir: base, fileName: 'c.yaml', env: {} });
  }

  const refused: [string, string, RegExp][] = [
    ['missing Kubernetes credentials', 'sink: { type: kubernetes, kubeconfig: does-not-exist }\nleaderElection: { enabled: true }\n', /sink\.kubeconfig: cannot load Kubernetes credentials/],
    ['a renew deadline not shorter than the lease', 'sink: { type: kubernetes, kubeconfig: kubeconfig }\nleaderElection: { enabled: true, leaseDurationSeconds: 10, renewDeadlineSeconds: 10 }\n', /leaderElection\.leaseDurationSeconds: must be greater than renewDeadlineSeconds/],
    ['a retry period too close to the renew deadline', 'sink: { type: kubernetes, kubeconfig: kubeconfig }\nleaderElection: { enabled: true, renewDeadlineSeconds: 2, retryPeriodSeconds: 2 }\n', /leaderElection\.renewDeadlineSeconds: must be greater than 1\.2 × retryPeriodSeconds/],
  ];
  for (const [name, extra, message] of refused) {
    test(name, async () => {
      const loaded = await load(extra);
      await assert.rejects(createSchedules(loaded, options), (error: unknown) => error instanceof ConfigError && message.test(error.message));
    });
  }

  test('a valid Kubernetes setup is created without touching the API server', async () => {
    const loaded = await load('sink: { type: kubernetes, kubeconfig: kubeconfig }\nleaderElection: { enabled: true }\n');
    const schedules = await createSchedules(loaded, options);
    assert.ok(schedules.scheduler);
    assert.ok(schedules.elector);
    assert.equal(schedules.elector.isLeader(), false);
    await schedules.stop();
  });
});
