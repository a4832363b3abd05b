/**
 * A real server on port 0 with the GitHub route, a stand-in Dispatch and a captured log, plus a
 * client that signs fixtures the way GitHub does.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Webhooks } from '@octokit/webhooks';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Dispatch, DispatchOutcome } from '../../src/dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import type { SubmitResult } from '../../src/runs/submitted-run.ts';
import { startTestIntake } from '../support/test-intake.ts';
import { createApp } from '../../src/server/create-app.ts';
import { startServer } from '../../src/server/start-server.ts';
import { githubSource } from '../../src/sources/github/github-source.ts';
import { webhookRoute } from '../../src/sources/webhook/webhook-route.ts';
import { webhookSecrets } from '../../src/sources/webhook/secret-scopes.ts';
import { preAuthDefaults } from './pre-auth-defaults.ts';

export const WEBHOOK_PATH = '/webhooks/github';
export const OLD_SECRET = 'old-secret-7f3a';
export const NEW_SECRET = 'new-secret-91bc';

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
}

export async function sign(secret: string, body: string): Promise<string> {
  return new Webhooks({ secret }).sign(body);
}

/**
 * Stands in for the dispatcher, which records each delivery's runs in the state store and answers
 * a redelivery with the recorded runs. The delivery id picks the behaviour: `retryable-…` and
 * `invalid-…` fail, `nomatch-…` matches nothing, `throw-…` throws; any other creates one run once.
 */
export function fakeDispatch(): { dispatch: Dispatch; events: RunbridgeEvent[]; runsCreated: () => number } {
  const events: RunbridgeEvent[] = [];
  const recorded = new Map<string, SubmitResult>();
  let created = 0;
  const base = (event: RunbridgeEvent) => ({ eventId: event.id, eventType: event.type, source: event.source });
  const dispatch: Dispatch = async (event): Promise<DispatchOutcome> => {
    events.push(event);
    const trigger = 'git[0]';
    const runConfiguration = 'ml/trainer';
    if (event.id.startsWith('throw-')) throw new Error('state file /var/lib/runbridge/secret-path unreadable');
    if (event.id.startsWith('nomatch-')) {
      return { ...base(event), matched: [], skipped: [{ runConfiguration, reason: 'branch refs/heads/master not in [main]' }] };
    }
    if (event.id.startsWith('retryable-') || event.id.startsWith('invalid-')) {
      const retryable = event.id.startsWith('retryable-');
      const error = retryable
        ? { code: 'RB_SINK', status: 503, message: 'API server unavailable after 6 attempts', retryable }
        : { code: 'RB_RENDER', status: 422, message: 'parameter commit is not set', retryable };
      return { ...base(event), matched: [{ runConfiguration, trigger, error }], skipped: [] };
    }
    const previous = recorded.get(event.id);
    const run: SubmitResult = previous
      ? { ...previous, created: false }
      : {
          apiVersion: 'pipelines.kubeflow.org/v1beta1',
          kind: 'Run',
          namespace: 'ml',
          name: `trainer-${created + 1}`,
          created: true,
          dryRun: false,
          location: '/runs/ml/trainer.yaml',
        };
    if (!previous) {
      created += 1;
      recorded.set(event.id, run);
    }
    return { ...base(event), matched: [{ runConfiguration, trigger, run }], skipped: [] };
  };
  return { dispatch, events, runsCreated: () => created };
}

export interface Harness {
  readonly url: string;
  readonly events: RunbridgeEvent[];
  readonly logs: Record<string, unknown>[];
  readonly rawLog: () => string;
  runsCreated(): number;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export async function startHarness(
  options: { bodyLimitBytes?: number; secrets?: string[]; insecure?: boolean } = {},
): Promise<Harness> {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const fake = fakeDispatch();
  let ready = true;
  const metricsRegistry = new Registry();
  const readiness = () => (ready ? { ready, reasons: [] } : { ready, reasons: ['state store not connected'] });
  const secrets = options.secrets ?? [OLD_SECRET, NEW_SECRET];
  // The real intake in front of the fake dispatcher.
  const intake = await startTestIntake(fake.dispatch, logger);
  const github = webhookRoute(
    githubSource(secrets),
    { path: WEBHOOK_PATH, secrets: webhookSecrets(secrets.length ? [{ values: secrets }] : []), insecureSkipSignatureVerification: options.insecure ?? false },
    { bodyLimitBytes: options.bodyLimitBytes ?? 32 * 1024, ...preAuthDefaults(), accept: intake.accept, readiness, logger },
  );
  const app = createApp({ routes: [github], readiness, metricsRegistry, logger });
  const server = await startServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    events: fake.events,
    get logs() {
      return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    rawLog: () => lines.join(''),
    runsCreated: fake.runsCreated,
    setReady: (value) => {
      ready = value;
    },
    close: async () => {
      await server.close();
      await intake.close();
    },
  };
}

export interface DeliveryInit {
  event?: string | undefined;
  deliveryId?: string | undefined;
  contentType?: string | undefined;
  body?: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
  signature?: string | undefined;
  headers?: Record<string, string> | undefined;
  method?: string | undefined;
  path?: string | undefined;
}

/** Sends a request built field by field; `undefined` leaves a header out. */
export async function send(url: string, init: DeliveryInit): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.event !== undefined) headers['x-github-event'] = init.event;
  if (init.deliveryId !== undefined) headers['x-github-delivery'] = init.deliveryId;
  if (init.contentType !== undefined) headers['content-type'] = init.contentType;
  if (init.signature !== undefined) headers['x-hub-signature-256'] = init.signature;
  const request: RequestInit & { duplex?: 'half' } = { method: init.method ?? 'POST', headers };
  if (init.body !== undefined) request.body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : init.body;
  if (init.body instanceof ReadableStream) request.duplex = 'half';
  const response = await fetch(url + (init.path ?? WEBHOOK_PATH), request);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body };
}

/** A push delivery signed with `secret`, ready for `send`. */
export async function signedPush(secret: string, overrides: DeliveryInit = {}): Promise<DeliveryInit> {
  const body = fixture('push.json');
  return {
    event: 'push',
    deliveryId: randomUUID(),
    contentType: 'application/json',
    body,
    signature: await sign(secret, body),
    ...overrides,
  };
}
