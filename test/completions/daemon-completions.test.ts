// The completion sources as the daemon wires them: a completion over JetStream and one over HTTP
// each start the downstream run (file sink), and runbridge publishes what it submitted.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { startDaemon } from '../../src/daemon/start-daemon.ts';
import { ConfigError } from '../../src/errors.ts';
import { config, loadInline } from '../config/load-inline.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { completionData, structuredEnvelope } from './fixtures.ts';
import { captureLogger, COMPLETION_TOKEN, waitFor } from './harness.ts';

let server: NatsServer;
let nc: NatsConnection;
let directory: string;
before(async () => {
  server = await startNatsServer({ jetstream: true });
  nc = await connect({ servers: server.url });
  directory = await mkdtemp(join(tmpdir(), 'runbridge-daemon-completions-'));
});
after(async () => {
  await nc?.close();
  await server?.stop();
  await rm(directory, { recursive: true, force: true });
});

const upstream = { name: 'example-generator', namespace: 'ml', template: 'static-run', completionSources: ['nats', 'http'] };
const downstream = {
  name: 'trainer',
  namespace: 'ml',
  template: 'static-run',
  parameters: [{ name: 'examples', valueFrom: { runConfigurationRef: { name: 'example-generator', outputArtifact: 'examples' } } }],
  triggers: { runConfigurations: ['example-generator'] },
};

async function load(completions: object) {
  return loadInline({
    ...config(upstream, downstream),
    nats: { servers: [server.url] },
    completions,
    sink: { type: 'file', directory: join(directory, 'runs') },
    state: { type: 'file', directory: join(directory, 'state') },
  });
}

const runFiles = async () => (await readdir(join(directory, 'runs'), { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml'));

test('JetStream and HTTP completions start the downstream; submitted runs are published', async () => {
  const published: Msg[] = [];
  nc.subscribe('runbridge.events', {
    callback: (_err, msg) => {
      published.push(msg);
    },
  });
  await nc.flush();
  const loaded = await load({
    nats: { subject: 'events', jetstream: { stream: 'KFP_EVENTS' } },
    http: { path: '/events', auth: { tokens: [{ fromEnv: 'COMPLETIONS_TOKEN' }] } },
    publish: { subject: 'runbridge.events' },
  });
  const { logger } = captureLogger();
  const daemon = await startDaemon(loaded, { logger, env: { WEBHOOK_SECRET: 'test-secret', COMPLETIONS_TOKEN: COMPLETION_TOKEN }, port: 0, internalPort: 0 });
  try {
    const ready = await fetch(`${daemon.url}/readyz`);
    assert.equal(ready.status, 200);
    const data = (runId: string, examples: string) =>
      completionData({ runConfigurationName: 'ml/example-generator', runName: null, runId, artifacts: [{ name: 'examples', location: examples }] });

    await jetstream(nc).publish('events', JSON.stringify({ data: data('upstream-1', 'gs://examples/1') }));
    await waitFor('the trainer run from the JetStream completion', async () => (await runFiles()).length === 1);

    const response = await fetch(`${daemon.internalUrl}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${COMPLETION_TOKEN}` },
      body: JSON.stringify(structuredEnvelope('http-2', data('upstream-2', 'gs://examples/2'))),
    });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as { eventId: string; outcome: { outcome: string } };
    assert.equal(answer.eventId, 'http-2');
    assert.equal(answer.outcome.outcome, 'dispatched');
    assert.equal((await runFiles()).length, 2);

    await waitFor('two run-submitted events', () => published.length === 2);
    const types = published.map((m) => (m.json() as { type: string; data: { runConfiguration: string } }));
    assert.deepEqual(types.map((t) => [t.type, t.data.runConfiguration]), [
      ['dev.runbridge.run.submitted', 'ml/trainer'],
      ['dev.runbridge.run.submitted', 'ml/trainer'],
    ]);
    const text = await (await fetch(`${daemon.internalUrl}/metrics`)).text();
    assert.match(text, /runbridge_nats_connected 1/);

    // NATS goes away: the metric says so until the connection is back, but readiness does not
    // follow it — webhooks are still stored by the intake, and the pod must keep taking them.
    const readiness = async () => (await fetch(`${daemon.url}/readyz`)).status;
    const connected = async () => /^runbridge_nats_connected 1$/m.test(await (await fetch(`${daemon.internalUrl}/metrics`)).text());
    await server.shutdown();
    await waitFor('the NATS metric at 0', async () => !(await connected()));
    assert.equal(await readiness(), 200);
    await server.start();
    await waitFor('the NATS metric back at 1', connected, 20_000);
    assert.equal(await readiness(), 200);
  } finally {
    await daemon.shutdown('test over');
  }
});

test('completion sources that cannot work fail the start with the configuration path', async () => {
  await assert.rejects(
    startDaemon(
      await loadInline({ ...config(upstream), completions: { kubernetesWatch: true }, state: { type: 'file', directory: join(directory, 'state2') } }),
      { logger: captureLogger().logger, env: { WEBHOOK_SECRET: 'test-secret' }, port: 0, internalPort: 0 },
    ),
    (error: unknown) => error instanceof ConfigError && error.issues[0]?.path === 'completions.kubernetesWatch',
  );
  await assert.rejects(
    startDaemon(await load({ nats: { subject: 'events', jetstream: { stream: 'MISSING', create: false } } }), {
      logger: captureLogger().logger,
      env: { WEBHOOK_SECRET: 'test-secret' },
      port: 0,
      internalPort: 0,
    }),
    /JetStream stream MISSING does not exist/,
  );
});
