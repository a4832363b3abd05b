// runbridge's published CloudEvents, read back by a subscriber on a real nats-server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { createPublisher } from '../../src/publish/create-publisher.ts';
import { publishCompletions, publishOnSubmitted } from '../../src/publish/publish-hooks.ts';
import { parseCompletionMessage } from '../../src/sources/completions/parse-completion-message.ts';
import { natsMessageHeaders } from '../../src/sources/completions/nats-message-headers.ts';
import { startNatsServer, type NatsServer } from '../support/nats-server.ts';
import { captureLogger, waitFor } from './harness.ts';

let server: NatsServer;
let nc: NatsConnection;
before(async () => {
  server = await startNatsServer({ jetstream: false });
  nc = await connect({ servers: server.url });
});
after(async () => {
  await nc?.close();
  await server?.stop();
});

function subscribe(subject: string): Msg[] {
  const received: Msg[] = [];
  nc.subscribe(subject, {
    callback: (_err, msg) => {
      received.push(msg);
    },
  });
  return received;
}

const clock = () => new Date('2025-03-01T03:00:05Z');
const watched: RunbridgeEvent = {
  id: '0b9f3c1e-77aa-4bd2-9c61-5e0f4c7d2a10:succeeded',
  source: 'kubernetes',
  type: 'org.kubeflow.pipelines.run-completion',
  time: '2025-03-01T03:00:00.000Z',
  trigger: 'runConfiguration',
  data: {},
  completion: {
    status: 'succeeded',
    runConfigurationName: 'ml/example-generator',
    runName: 'example-generator-3f9a1c2b',
    runNamespace: 'ml',
    runId: '0b9f3c1e-77aa-4bd2-9c61-5e0f4c7d2a10',
    runStartTime: '2025-03-01T02:00:00Z',
    runEndTime: '2025-03-01T02:59:59Z',
    artifacts: [{ name: 'examples', location: 'gs://bucket/examples/9' }],
  },
};

test('run submitted and run completed, with the documented shapes', async () => {
  const received = subscribe('runbridge.events');
  const publisher = createPublisher({ nc, subject: 'runbridge.events', clock });
  const { logger } = captureLogger();
  const onSubmitted = publishOnSubmitted(publisher, logger);
  await onSubmitted(
    { key: 'ml/trainer' },
    { id: 'delivery-1', source: 'github', type: 'github.push', time: '2025-03-01T03:00:00Z', trigger: 'git', data: {} },
    {
      runConfiguration: 'ml/trainer',
      trigger: 'git[0]',
      run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ml', name: 'trainer-5d1e0c7a', uid: 'u-1', created: true, dryRun: false, location: '/apis/…' },
    },
  );
  const handled = publishCompletions(async () => ({ status: 200 }), publisher, logger);
  await handled(watched);
  await waitFor('two events', () => received.length === 2);

  const [submitted, completed] = received as [Msg, Msg];
  assert.equal(submitted.headers?.get('content-type'), 'application/cloudevents+json');
  assert.equal(submitted.headers?.get('Nats-Msg-Id'), 'ml/trainer-5d1e0c7a:submitted');
  assert.deepEqual(submitted.json(), {
    id: 'ml/trainer-5d1e0c7a:submitted',
    time: '2025-03-01T03:00:05.000Z',
    type: 'dev.runbridge.run.submitted',
    source: 'runbridge',
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject: 'ml/trainer-5d1e0c7a',
    data: {
      runConfiguration: 'ml/trainer',
      trigger: 'git[0]',
      event: { id: 'delivery-1', source: 'github', type: 'github.push', trigger: 'git' },
      run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ml', name: 'trainer-5d1e0c7a', uid: 'u-1', created: true, dryRun: false },
    },
  });

  assert.deepEqual(completed.json(), {
    id: '0b9f3c1e-77aa-4bd2-9c61-5e0f4c7d2a10:succeeded',
    time: '2025-03-01T02:59:59.000Z',
    type: 'org.kubeflow.pipelines.run-completion',
    source: 'runbridge',
    specversion: '1.0',
    datacontenttype: 'application/json',
    subject: 'ml/example-generator-3f9a1c2b',
    data: {
      status: 'succeeded',
      runConfigurationName: 'ml/example-generator',
      runName: 'ml/example-generator-3f9a1c2b',
      runId: '0b9f3c1e-77aa-4bd2-9c61-5e0f4c7d2a10',
      runStartTime: '2025-03-01T02:00:00Z',
      runEndTime: '2025-03-01T02:59:59Z',
      artifacts: [{ name: 'examples', location: 'gs://bucket/examples/9' }],
      servingModelArtifacts: [],
    },
  });
  // What runbridge publishes, runbridge (and anything reading KFP-Operator's events) reads back.
  const back = parseCompletionMessage({ headers: natsMessageHeaders(completed.headers), body: completed.string() }, { transport: 'nats', receivedAt: clock() });
  assert.equal(back.id, watched.id);
  const { runNamespace: _, ...withoutNamespace } = watched.completion!;
  assert.deepEqual(back.completion, { ...withoutNamespace, runName: 'ml/example-generator-3f9a1c2b' });
});

test('nothing is published for a failed handling, or for an outcome without a run', async () => {
  const received = subscribe('quiet.events');
  const publisher = createPublisher({ nc, subject: 'quiet.events', clock });
  const { logger } = captureLogger();
  await assert.rejects(publishCompletions(async () => assert.fail('handler broke'), publisher, logger)(watched));
  assert.equal((await publishCompletions(async () => ({ status: 503 }), publisher, logger)(watched)).status, 503);
  await publishOnSubmitted(publisher, logger)({ key: 'ml/x' }, watched, { runConfiguration: 'ml/x', trigger: 'upstream', error: { code: 'RB_SINK', status: 503, message: 'down', retryable: true } });
  await nc.flush();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 0);
});
