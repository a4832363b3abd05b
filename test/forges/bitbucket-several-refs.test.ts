// A Bitbucket push of several refs, through runbridge's daemon (file sink, port 0, both Bitbucket
// sections): one run per ref a trigger matches, each keyed by the delivery's id and its ref, and a
// redelivery creates none. Then the intake refusing one part: 503, and the redelivery stores the
// rest without doing the stored part twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parse } from 'yaml';
import { intakeSchema } from '../../src/config/intake-schema.ts';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { openIntake } from '../../src/intake/open-intake.ts';
import { createApp } from '../../src/server/create-app.ts';
import { startServer } from '../../src/server/start-server.ts';
import { webhookSecrets } from '../../src/sources/webhook/secret-scopes.ts';
import { webhookRoute } from '../../src/sources/webhook/webhook-route.ts';
import { WEBHOOK_SOURCES } from '../../src/sources/webhook/webhook-sources.ts';
import { fakeDispatch } from '../server/webhook-harness.ts';
import { loadForgeFixture } from '../support/forge-fixture.ts';
import { FORGES } from './forge-deliveries.ts';
import { preAuthDefaults } from '../server/pre-auth-defaults.ts';

const SECRET = randomBytes(16).toString('hex');

const EDITIONS = [
  { forge: FORGES.find((f) => f.name === 'bitbucket-cloud')!, file: 'repo-push-several.json', tag: 'v1.0.0' },
  { forge: FORGES.find((f) => f.name === 'bitbucket-data-center')!, file: 'repo-refs-changed-several.json', tag: 'v1.1.0' },
];

async function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Headers; body: any }> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function runFiles(dir: string): Promise<{ rc: string; eventId: string; ref: string }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.sort().map(async (file) => {
      const run = parse(await readFile(file, 'utf8'));
      const parameters = Object.fromEntries((run.spec.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
      return { rc: parameters['rc'] ?? '', ref: parameters['ref'] ?? '', eventId: run.metadata.annotations['runbridge.dev/event-id'] as string };
    }),
  );
}

const runConfiguration = (name: string, trigger: Record<string, unknown>) => ({
  name,
  namespace: 'ci',
  template: 'kfp-run',
  parameters: [
    { name: 'provider', value: 'kfp-operator/vertex-ai' },
    { name: 'pipeline', value: name },
    { name: 'rc', value: name },
    { name: 'ref', valueFrom: { event: 'ref' } },
  ],
  triggers: { git: [{ repository: ['acme/shop', 'ACME/shop'], ...trigger }] },
});

describe('a Bitbucket push of several refs → one run per matched ref', () => {
  let dir: string;
  let daemon: Daemon;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbridge-bitbucket-refs-'));
    const secrets = [{ fromEnv: 'RB_BITBUCKET_SECRET' }];
    const config = {
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      server: { host: '127.0.0.1' },
      'bitbucket-cloud': { secrets },
      'bitbucket-data-center': { secrets },
      intake: { directory: 'intake' },
      sink: { type: 'file', directory: 'runs' },
      state: { type: 'file', directory: 'state' },
      runConfigurations: [
        runConfiguration('build', { events: ['push'], branches: ['main'] }),
        runConfiguration('release', { events: ['tag'], tags: ['v*'] }),
        runConfiguration('review', { events: ['pull_request'] }),
      ],
    };
    await writeFile(join(dir, 'runbridge.yaml'), JSON.stringify(config));
    const env = { RB_BITBUCKET_SECRET: SECRET };
    daemon = await startDaemon(await loadConfig(join(dir, 'runbridge.yaml'), { env }), { logger: pino({ level: 'silent' }), env, port: 0, internalPort: 0 });
  });

  after(async () => {
    await daemon?.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  for (const { forge, file, tag } of EDITIONS) {
    test(`${forge.name} ${file}: a build for main and a release for ${tag}; the redelivery creates nothing`, async () => {
      const { headers, body } = await loadForgeFixture(forge.fixtures, file);
      const signed = { ...headers, ...forge.sign(SECRET, body) };
      const key = `${forge.name}:${headers[forge.idHeader!]}`;
      const url = `${daemon.url}/webhooks/${forge.name}`;
      const before = (await runFiles(join(dir, 'runs'))).length;

      const first = await post(url, signed, body);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.eventId, key);
      assert.equal(first.body.state, 'done');
      assert.equal(first.body.duplicate, false);
      assert.equal(first.body.message, `2 ref changes: refs/heads/main: 1 run created; refs/tags/${tag}: 1 run created`);
      assert.deepEqual(
        first.body.parts.map((p: { ref: string; eventId: string }) => [p.ref, p.eventId]),
        [
          ['refs/heads/main', `${key}/refs/heads/main`],
          [`refs/tags/${tag}`, `${key}/refs/tags/${tag}`],
        ],
      );
      const runs = (await runFiles(join(dir, 'runs'))).filter((r) => r.eventId.startsWith(`${key}/`));
      assert.deepEqual(
        runs.map((r) => [r.rc, r.ref, r.eventId]).sort(),
        [
          ['build', 'refs/heads/main', `${key}/refs/heads/main`],
          ['release', `refs/tags/${tag}`, `${key}/refs/tags/${tag}`],
        ],
      );
      assert.equal((await runFiles(join(dir, 'runs'))).length, before + 2);

      const again = await post(url, signed, body);
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.duplicate, true);
      assert.equal(again.body.message, `2 ref changes: refs/heads/main: 1 run already existed; refs/tags/${tag}: 1 run already existed`);
      assert.equal((await runFiles(join(dir, 'runs'))).length, before + 2);
    });
  }
});

describe('the intake cannot store every ref change of a delivery', () => {
  test('503 saying how many were stored; the redelivery stores the rest and does the stored one once', async () => {
    const { forge, file } = EDITIONS[1]!;
    const directory = await mkdtemp(join(tmpdir(), 'runbridge-bitbucket-refs-intake-'));
    const fake = fakeDispatch();
    const logger = pino({ level: 'silent' });
    const readiness = () => ({ ready: true, reasons: [] });
    const serve = async (maxPending: number) => {
      const intake = openIntake(intakeSchema.parse({ directory, maxPending, retry: { initialDelaySeconds: 3600, maxDelaySeconds: 3600 } }), {
        baseDir: directory,
        answerWithinMs: 3000,
        doneRetentionMs: 168 * 3_600_000,
        dispatch: fake.dispatch,
        handleCompletion: async () => {
          throw new Error('no completion goes through a webhook');
        },
        logger,
      });
      await intake.intake.start();
      const secrets = webhookSecrets([{ values: [SECRET] }]);
      const route = webhookRoute(WEBHOOK_SOURCES[forge.name](secrets.values), { path: '/hook', secrets, insecureSkipSignatureVerification: false }, { bodyLimitBytes: 256 * 1024, accept: intake.acceptEvent, readiness, logger, ...preAuthDefaults() });
      const server = await startServer(createApp({ routes: [route], readiness, metricsRegistry: new Registry(), logger }), { host: '127.0.0.1', port: 0 });
      return {
        url: `${server.url}/hook`,
        close: async () => {
          await server.close();
          await intake.intake.stop(1000);
          await intake.close();
        },
      };
    };
    const { headers, body } = await loadForgeFixture(forge.fixtures, file);
    const signed = { ...headers, ...forge.sign(SECRET, body) };
    try {
      // Room for one pending event: the second ref change of the delivery is refused.
      const narrow = await serve(1);
      const refused = await post(narrow.url, signed, body);
      await narrow.close();
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error.code, 'RB_INTAKE_UNAVAILABLE');
      assert.match(refused.body.error.message, /\(1 of the 2 events of this delivery were stored, 1 not: sending it again is safe, the stored ones are found by their keys and not processed twice\)$/);
      assert.ok(refused.headers.get('retry-after'));
      assert.deepEqual(
        fake.events.map((e) => e.id),
        [`${forge.name}:${headers[forge.idHeader!]}/refs/heads/main`],
      );
      assert.equal(fake.runsCreated(), 1);

      // The backlog has room again (the same intake directory): the redelivery stores the tag.
      const wide = await serve(100);
      try {
        const redelivered = await post(wide.url, signed, body);
        assert.equal(redelivered.status, 200, JSON.stringify(redelivered.body));
        assert.deepEqual(
          redelivered.body.parts.map((p: { duplicate: boolean; message: string }) => [p.duplicate, p.message]),
          [
            [true, '1 run already existed'],
            [false, '1 run created'],
          ],
        );
        assert.equal(redelivered.body.duplicate, false);
        assert.equal(fake.runsCreated(), 2);
      } finally {
        await wide.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
