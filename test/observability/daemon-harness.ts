/**
 * The real daemon (startDaemon) on port 0 with a configuration written to a temporary directory:
 * file sink and file state there, the GitHub route with a webhook secret from the environment, the
 * shipped kfp-run template, and a log captured line by line (at trace level, so that everything
 * runbridge could write is seen).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Webhooks } from '@octokit/webhooks';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { createLogger } from '../../src/observability/create-logger.ts';

export const WEBHOOK_SECRET = 'whsec-Zq81-do-not-log-me-4c7e';
export const WEBHOOK_PATH = '/webhooks/github';
export const BODY_LIMIT = 64 * 1024;

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
}

export function sign(body: string, secret = WEBHOOK_SECRET): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

/** Matches pushes to master (test/fixtures/github/push.json); `dev-builds` matches nothing there. */
export function testConfig(): Record<string, unknown> {
  const kfpParameters = [
    { name: 'provider', value: 'kfp-operator/vertex-ai' },
    { name: 'pipeline', value: 'penguin-pipeline' },
    { name: 'experimentName', value: 'observability' },
    { name: 'commit', valueFrom: { event: 'sha' } },
  ];
  return {
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    server: { host: '127.0.0.1', port: 0, bodyLimitBytes: BODY_LIMIT },
    log: { level: 'trace' },
    github: { path: WEBHOOK_PATH, secrets: [{ fromEnv: 'RB_TEST_WEBHOOK_SECRET' }] },
    sink: { type: 'file', directory: 'runs' },
    state: { type: 'file', directory: 'state' },
    runConfigurations: [
      { name: 'trainer', namespace: 'ml', template: 'kfp-run', parameters: kfpParameters, triggers: { git: [{ branches: ['master'] }] } },
      { name: 'dev-builds', namespace: 'ml', template: 'kfp-run', parameters: kfpParameters, triggers: { git: [{ branches: ['dev'] }] } },
    ],
  };
}

export interface DaemonHarness {
  readonly daemon: Daemon;
  readonly url: string;
  /** Every log line so far, parsed. */
  logs(): Record<string, unknown>[];
  rawLog(): string;
  deliver(init: Delivery): Promise<{ status: number; body: any }>;
  /** A GET on the internal listener (/metrics, /status, health). */
  get(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface Delivery {
  event?: string | undefined;
  deliveryId?: string | undefined;
  body: string;
  /** Signed with WEBHOOK_SECRET unless given (null: no signature header). */
  signature?: string | null;
  contentType?: string | undefined;
}

export async function startDaemonHarness(config = testConfig()): Promise<DaemonHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-observability-'));
  await writeFile(join(dir, 'runbridge.yaml'), stringify(config));
  const env = { RB_TEST_WEBHOOK_SECRET: WEBHOOK_SECRET };
  const loaded = await loadConfig(join(dir, 'runbridge.yaml'), { env });
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'trace', destination });
  const daemon = await startDaemon(loaded, { logger, env, port: 0, internalPort: 0 });
  const rawLog = (): string => lines.join('');
  return {
    daemon,
    url: daemon.url,
    rawLog,
    logs: () =>
      rawLog()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async deliver(init) {
      const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
      if (init.event !== undefined) headers['x-github-event'] = init.event;
      if (init.deliveryId !== undefined) headers['x-github-delivery'] = init.deliveryId;
      const signature = init.signature === undefined ? await sign(init.body) : init.signature;
      if (signature !== null) headers['x-hub-signature-256'] = signature;
      const response = await fetch(`${daemon.url}${WEBHOOK_PATH}`, { method: 'POST', headers, body: init.body });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      return { status: response.status, body };
    },
    async get(path) {
      const response = await fetch(`${daemon.internalUrl}${path}`);
      return { status: response.status, text: await response.text() };
    },
    async close() {
      await daemon.shutdown('test over');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
