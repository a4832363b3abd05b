/**
 * A daemon as `serve` starts it, with a file sink, on port 0: `ml/trainer` open to manual runs (only
 * `epochs` overridable) and `ml/evaluator` closed to them.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';

export const TOKEN = 'run-now-token-8d1f-0123456789abcdef';
export const RUNS_PATH = '/api/v1/run-configurations/ml/trainer/runs';

export async function startRunNowDaemon(base: string, api: object | undefined): Promise<{ daemon: Daemon; url: string; runsDir: string }> {
  const text = stringify({
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    server: { host: '127.0.0.1', port: 0 },
    sink: { type: 'file', directory: join(base, 'runs') },
    state: { type: 'file', directory: join(base, 'state') },
    ...(api ? { api } : {}),
    runConfigurations: [
      {
        name: 'trainer',
        namespace: 'ml',
        template: 'tekton-customrun',
        parameters: [
          { name: 'customApiVersion', value: 'example.dev/v1' },
          { name: 'customKind', value: 'Train' },
          { name: 'epochs', value: '10' },
        ],
        manual: { enabled: true, parameters: ['epochs'] },
      },
      {
        // Declared like trainer, but closed to manual runs.
        name: 'evaluator',
        namespace: 'ml',
        template: 'tekton-customrun',
        parameters: [
          { name: 'customApiVersion', value: 'example.dev/v1' },
          { name: 'customKind', value: 'Evaluate' },
        ],
        triggers: { schedules: [{ cron: '@daily' }] },
      },
    ],
  });
  const env = { RUNBRIDGE_API_TOKEN: TOKEN };
  const loaded = await loadConfigText(text, { baseDir: base, fileName: 'run-now.yaml', env });
  const daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env, port: 0, internalPort: 0 });
  return { daemon, url: daemon.internalUrl, runsDir: join(base, 'runs') };
}
