import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { ConfigError } from '../../src/errors.ts';
import { githubSource } from '../../src/sources/github/github-source.ts';
import { webhookSecrets } from '../../src/sources/webhook/secret-scopes.ts';
import { webhookRoute } from '../../src/sources/webhook/webhook-route.ts';
import { NEW_SECRET, OLD_SECRET, send, signedPush, startHarness, WEBHOOK_PATH, type Harness } from './webhook-harness.ts';
import { preAuthDefaults } from './pre-auth-defaults.ts';

describe('GitHub deliveries: dispatch, redelivery, readiness, logging', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  test('a dispatched push carries the delivery id and the facts of the payload', async () => {
    const init = await signedPush(NEW_SECRET);
    const response = await send(harness.url, init);
    assert.equal(response.status, 200);
    const event = harness.events.at(-1);
    assert.equal(event?.id, init.deliveryId);
    assert.equal(event?.type, 'github.push');
    assert.equal(event?.source, 'github');
    assert.equal(event?.git?.ref, 'refs/heads/master');
    assert.equal(event?.git?.sha, '6113728f27ae82c7b1a177c8d03f9e96e0adf246');
    assert.deepEqual(response.body, {
      eventId: init.deliveryId,
      eventType: 'github.push',
      message: '1 run created',
      runs: [
        {
          runConfiguration: 'ml/trainer',
          trigger: 'git[0]',
          run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ml', name: response.body.runs[0].run.name, created: true, dryRun: false },
        },
      ],
      skipped: [],
      state: 'done',
      duplicate: false,
    });
  });

  test('a redelivered webhook creates no second run', async () => {
    const init = await signedPush(OLD_SECRET);
    const createdBefore = harness.runsCreated();
    const first = await send(harness.url, init);
    const second = await send(harness.url, init);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(harness.runsCreated() - createdBefore, 1);
    assert.equal(first.body.runs[0].run.created, true);
    assert.equal(second.body.runs[0].run.created, false);
    assert.equal(second.body.runs[0].run.name, first.body.runs[0].run.name);
    assert.equal(second.body.message, '1 run already existed');
  });

  test('while not ready, deliveries get 503 and are not dispatched', async () => {
    harness.setReady(false);
    try {
      const before = harness.events.length;
      const init = await signedPush(OLD_SECRET);
      const response = await send(harness.url, init);
      assert.equal(response.status, 503);
      assert.equal(response.body.error.code, 'RB_NOT_READY');
      assert.match(response.body.error.message, /state store not connected/);
      assert.equal(response.body.eventId, init.deliveryId);
      assert.equal(harness.events.length, before);
    } finally {
      harness.setReady(true);
    }
    assert.equal((await send(harness.url, await signedPush(OLD_SECRET))).status, 200);
  });

  test('one log line per delivery with the constant keys, and no secret or signature in the log', async () => {
    const init = await signedPush(OLD_SECRET, { deliveryId: `log-${randomUUID()}` });
    await send(harness.url, init);
    await send(harness.url, { ...init, signature: `sha256=${'1'.repeat(64)}` });
    const lines = harness.logs.filter((l) => l['eventId'] === init.deliveryId);
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((l) => [l['source'], l['eventType'], l['status'], l['reason'], typeof l['durationMs']]),
      [
        ['github', 'github.push', 200, '1 run created', 'number'],
        ['github', 'github.push', 401, 'X-Hub-Signature-256 does not match the body with any configured secret', 'number'],
      ],
    );
    assert.deepEqual(lines[0]?.['runConfiguration'], ['ml/trainer']);
    const log = harness.rawLog();
    for (const secret of [OLD_SECRET, NEW_SECRET, init.signature ?? '', '1'.repeat(64)]) {
      assert.equal(log.includes(secret), false, `log contains ${secret.slice(0, 12)}…`);
    }
    assert.doesNotMatch(log, /sha256=/);
  });
});

describe('fail-closed construction', () => {
  const options = { bodyLimitBytes: 1024, ...preAuthDefaults(), accept: async () => assert.fail('not accepted'), readiness: () => ({ ready: true, reasons: [] }), logger: pino({ level: 'silent' }) };

  test('no secret and no opt-out: the GitHub route refuses to be created', () => {
    assert.throws(
      () => webhookRoute(githubSource([]), { path: WEBHOOK_PATH, secrets: webhookSecrets([]), insecureSkipSignatureVerification: false }, options),
      (err: unknown) => err instanceof ConfigError && err.issues.length === 1 && err.issues[0]?.path === 'github.secrets',
    );
  });

  test('with the opt-out, unsigned deliveries are accepted and each one is warned about', async () => {
    const harness = await startHarness({ secrets: [], insecure: true });
    try {
      const init = await signedPush(OLD_SECRET, { signature: undefined });
      const response = await send(harness.url, init);
      assert.equal(response.status, 200);
      const warnings = harness.logs.filter((l) => l['level'] === 40 && /WITHOUT signature verification/.test(String(l['msg'])));
      assert.equal(warnings.filter((w) => w['eventId'] === init.deliveryId).length, 1);
      assert.ok(warnings.length >= 2, 'warned at start and for the delivery');
    } finally {
      await harness.close();
    }
  });
});
