/**
 * The whole pipeline on the embedded default: a signed GitHub push over a real socket → the real
 * daemon (config loader, matcher, renderer, file sink, file state store) → one YAML file per run.
 * Redelivery, concurrent duplicates and a restart between deliveries must never create a second run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { parse } from 'yaml';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';

const SECRET = 'integration-secret';
const fixture = await readFile(new URL('../fixtures/github/push.json', import.meta.url), 'utf8');

async function listRuns(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

async function deliver(url: string, deliveryId: string, body = fixture): Promise<{ status: number; body: any }> {
  const signature = await new Webhooks({ secret: SECRET }).sign(body);
  const response = await fetch(`${url}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': signature,
    },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('signed push → runs on the embedded default', () => {
  let dir: string;
  let daemon: Daemon;
  const start = async (): Promise<Daemon> => {
    const loaded = await loadConfig(join(dir, 'runbridge.yaml'), { env: { RB_SECRET: SECRET } });
    return startDaemon(loaded, { logger: pino({ level: 'silent' }), env: { RB_SECRET: SECRET }, port: 0, internalPort: 0 });
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbridge-e2e-'));
    const examples = await readFile(new URL('../../examples/quickstart.yaml', import.meta.url), 'utf8');
    const config = parse(examples) as Record<string, any>;
    config['github'] = { secrets: [{ fromEnv: 'RB_SECRET' }] };
    config['sink'] = { type: 'file', directory: 'runs' };
    config['state'] = { type: 'file', directory: 'state' };
    await writeFile(join(dir, 'runbridge.yaml'), JSON.stringify(config));
    daemon = await start();
  });
  after(async () => {
    await daemon.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  test('one push renders a run of every shipped kind, each a valid manifest with provenance', async () => {
    const id = randomUUID();
    const answer = await deliver(daemon.url, id);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.eventId, id);
    assert.equal(answer.body.runs.length, 7);
    assert.ok(answer.body.runs.every((r: any) => r.run.created === true));
    const files = await listRuns(join(dir, 'runs'));
    assert.equal(files.length, 7);
    const kinds = new Set<string>();
    for (const file of files) {
      const run = parse(await readFile(join(dir, 'runs', file), 'utf8'));
      kinds.add(`${run.apiVersion} ${run.kind}`);
      assert.equal(run.metadata.annotations['runbridge.dev/event-id'], id);
      assert.equal(run.metadata.labels['runbridge.dev/trigger'], 'git');
      assert.match(run.metadata.name, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
    assert.deepEqual([...kinds].sort(), [
      'argoproj.io/v1alpha1 Workflow',
      'batch.tensorstack.dev/v1beta1 WorkflowRun',
      'openchoreo.dev/v1alpha1 WorkflowRun',
      'pipelines.kubeflow.org/v1beta1 Run',
      'tekton.dev/v1 PipelineRun',
      'tekton.dev/v1alpha1 Run',
      'tekton.dev/v1beta1 CustomRun',
    ]);
  });

  test('a redelivery answers with the same runs and creates nothing', async () => {
    const id = randomUUID();
    const first = await deliver(daemon.url, id);
    const before = await listRuns(join(dir, 'runs'));
    const again = await deliver(daemon.url, id);
    assert.equal(again.status, 200);
    assert.deepEqual(
      again.body.runs.map((r: any) => r.run.name),
      first.body.runs.map((r: any) => r.run.name),
    );
    assert.ok(again.body.runs.every((r: any) => r.run.created === false));
    assert.deepEqual(await listRuns(join(dir, 'runs')), before);
  });

  test('two concurrent deliveries of one event create each run exactly once', async () => {
    const id = randomUUID();
    const before = (await listRuns(join(dir, 'runs'))).length;
    const [a, b] = await Promise.all([deliver(daemon.url, id), deliver(daemon.url, id)]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    // The second waits for the first's attempt and answers with it, marked as a duplicate.
    assert.deepEqual([a.body.duplicate, b.body.duplicate].sort(), [false, true]);
    assert.deepEqual(a.body.runs.map((r: any) => r.run.name), b.body.runs.map((r: any) => r.run.name));
    // Only the first says it created them.
    assert.equal([...a.body.runs, ...b.body.runs].filter((r: any) => r.run.created).length, 7);
    assert.equal((await listRuns(join(dir, 'runs'))).length, before + 7);
  });

  test('the dedupe record survives a restart of the daemon', async () => {
    const id = randomUUID();
    await deliver(daemon.url, id);
    const before = await listRuns(join(dir, 'runs'));
    await daemon.shutdown();
    daemon = await start();
    const again = await deliver(daemon.url, id);
    assert.equal(again.status, 200);
    assert.ok(again.body.runs.every((r: any) => r.run.created === false));
    assert.deepEqual(await listRuns(join(dir, 'runs')), before);
  });

  test('a different delivery of the same payload is a new event: new runs', async () => {
    const before = (await listRuns(join(dir, 'runs'))).length;
    const answer = await deliver(daemon.url, randomUUID());
    assert.equal(answer.status, 200);
    assert.equal((await listRuns(join(dir, 'runs'))).length, before + 7);
  });
});
