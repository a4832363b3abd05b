/**
 * What the intake's integration tests share: a signed GitHub push sent once and timed, a minimal
 * configuration (one KFP-Operator Run configuration, triggered by pushes to master, by run now and
 * optionally by a schedule) with a kubernetes sink, the runs a real API server holds grouped by the
 * event that made them, and the intake's backlog as GET /status shows it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Webhooks } from '@octokit/webhooks';
import type { IntakeBacklogReport } from '../../src/intake/intake-backlog.ts';
import { kubeRequest, type KubeApiServer } from './kube-apiserver.ts';

export const SECRET = 'intake-integration-secret';
export const API_TOKEN = 'intake-integration-api-token-0123456789abcdef';
export const ENV = { RB_SECRET: SECRET, RB_API_TOKEN: API_TOKEN };
export const REPO = join(import.meta.dirname, '..', '..');
const fixture = await readFile(join(REPO, 'test', 'fixtures', 'github', 'push.json'), 'utf8');
const signature = await new Webhooks({ secret: SECRET }).sign(fixture);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Delivered {
  readonly id: string;
  readonly status: number;
  readonly body: { state?: string; intakeId?: string; message?: string; runs?: { run?: { name: string } }[]; error?: { message: string } };
  readonly retryAfter: string | null;
  /** When it was sent, ms since the scenario's start. */
  readonly sentAt: number;
  readonly tookMs: number;
}

/** Sends the push fixture, signed, once, as delivery `id`; a refused connection is status 0. */
export async function deliverPush(url: string, id: string, startedAt = Date.now()): Promise<Delivered> {
  const sent = Date.now();
  try {
    const response = await fetch(`${url}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': signature },
      body: fixture,
      signal: AbortSignal.timeout(60_000),
    });
    const body = (await response.json()) as Delivered['body'];
    return { id, status: response.status, body, retryAfter: response.headers.get('retry-after'), sentAt: sent - startedAt, tookMs: Date.now() - sent };
  } catch (error) {
    return { id, status: 0, body: { message: (error as Error).message }, retryAfter: null, sentAt: sent - startedAt, tookMs: Date.now() - sent };
  }
}

/** Asks for a run now, with an Idempotency-Key (the event id is `manual-<key>`). */
export async function runNow(url: string, key: string): Promise<{ status: number; body: Delivered['body'] & { eventId?: string }; tookMs: number }> {
  const sent = Date.now();
  const response = await fetch(`${url}/api/v1/run-configurations/ml/train/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as Delivered['body'], tookMs: Date.now() - sent };
}

export interface ScenarioConfig {
  readonly kubeconfig: string;
  readonly provider?: string;
  /** A 6-field cron (seconds first) in UTC, for a schedule on the run configuration. */
  readonly cron?: string;
  readonly answerWithinSeconds?: number;
  readonly shutdownGraceSeconds?: number;
  readonly intakeDirectory?: string;
  readonly retry?: { readonly initialDelaySeconds: number; readonly maxDelaySeconds: number };
}

/** The configuration, as JSON (YAML's subset), for a file in the scenario's own directory. */
export function scenarioConfig(options: ScenarioConfig): string {
  const config = {
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    server: { port: 0, answerWithinSeconds: options.answerWithinSeconds ?? 3, shutdownGraceSeconds: options.shutdownGraceSeconds ?? 10 },
    github: { secrets: [{ fromEnv: 'RB_SECRET' }] },
    sink: { type: 'kubernetes', kubeconfig: options.kubeconfig, maxAttempts: 3 },
    state: { type: 'file', directory: 'state' },
    // Retries capped at a few seconds so that a test does not wait minutes after an outage; the
    // default cap (300 s) spaces them further apart and changes nothing else.
    intake: { directory: options.intakeDirectory ?? 'intake', retry: options.retry ?? { initialDelaySeconds: 1, maxDelaySeconds: 5 } },
    api: { token: { fromEnv: 'RB_API_TOKEN' } },
    runConfigurations: [
      {
        name: 'train',
        namespace: 'ml',
        template: 'kfp-run',
        parameters: [
          { name: 'provider', value: options.provider ?? 'kfp-operator/vertex-ai' },
          { name: 'pipeline', value: 'penguin-pipeline' },
          // Schedule ticks and run-now requests carry no commit.
          { name: 'commit', valueFrom: { event: 'sha' }, default: 'none' },
        ],
        triggers: {
          git: [{ repository: '*/*', branches: ['master'] }],
          ...(options.cron ? { schedules: [{ cron: options.cron, timezone: 'UTC' }] } : {}),
        },
        manual: { enabled: true },
      },
    ],
  };
  return JSON.stringify(config, null, 2);
}

/** A cron (seconds first, UTC) whose only slot each day is `at`, to the second. */
export function cronAt(at: Date): string {
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}

/** Every KFP-Operator Run in namespace ml, by the event id in its provenance annotation. */
export async function runsByEvent(kube: KubeApiServer): Promise<Map<string, string[]>> {
  const res = await kubeRequest(kube.kubeConfig(), 'GET', '/apis/pipelines.kubeflow.org/v1beta1/namespaces/ml/runs');
  assert.equal(res.status, 200, res.body);
  const items = (JSON.parse(res.body) as { items: { metadata: { name: string; annotations?: Record<string, string> } }[] }).items;
  const byEvent = new Map<string, string[]>();
  for (const item of items) {
    const id = item.metadata.annotations?.['runbridge.dev/event-id'] ?? '';
    byEvent.set(id, [...(byEvent.get(id) ?? []), item.metadata.name]);
  }
  return byEvent;
}

export async function createNamespace(kube: KubeApiServer, name: string): Promise<void> {
  const res = await kubeRequest(kube.kubeConfig(), 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  assert.ok(res.status === 201 || res.status === 409, res.body);
}

export async function intakeStatus(url: string): Promise<IntakeBacklogReport> {
  const report = (await (await fetch(`${url}/status`)).json()) as { intake?: IntakeBacklogReport };
  assert.ok(report.intake, 'GET /status shows the intake');
  return report.intake;
}

/** Polls until `check` is true; fails with `what` after `ms`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, ms: number, everyMs = 250): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms / 1000} s`);
    await sleep(everyMs);
  }
  return Date.now() - started;
}

/** `{200: 12, 202: 120}` as `200×12 202×120`. */
export function countByStatus(answers: readonly { readonly status: number }[]): string {
  const counts = new Map<number, number>();
  for (const a of answers) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
}
