// Every forge's webhook over a real socket, through the same table as GitHub's
// (test/server/github-webhook.test.ts): signed the way the forge signs, wrong or missing
// authentication, missing event header, wrong content type, oversize, malformed JSON, a secret
// scoped to another repository, and a redelivery.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createApp } from '../../src/server/create-app.ts';
import { startServer, type RunningServer } from '../../src/server/start-server.ts';
import { webhookSecrets, type SecretEntry } from '../../src/sources/webhook/secret-scopes.ts';
import { webhookRoute } from '../../src/sources/webhook/webhook-route.ts';
import { WEBHOOK_SOURCES } from '../../src/sources/webhook/webhook-sources.ts';
import { loadForgeFixture } from '../support/forge-fixture.ts';
import { fakeDispatch } from '../server/webhook-harness.ts';
import { FORGES, signStandardWebhook, type ForgeUnderTest } from './forge-deliveries.ts';
import { startTestIntake } from '../support/test-intake.ts';
import { preAuthDefaults } from '../server/pre-auth-defaults.ts';

const LIMIT = 32 * 1024;
const OLD = 'old-secret-5d1e';
const NEW = 'new-secret-c07a';
const OTHER_REPOSITORY = 'other-secret-99aa';
const SIGNING_TOKEN = `whsec_${randomBytes(32).toString('base64')}`;

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

async function startForge(forge: ForgeUnderTest, entries: SecretEntry[]) {
  const fake = fakeDispatch();
  const secrets = webhookSecrets(entries);
  const readiness = () => ({ ready: true, reasons: [] });
  const logger = pino({ level: 'silent' });
  const intake = await startTestIntake(fake.dispatch, logger);
  const route = webhookRoute(WEBHOOK_SOURCES[forge.name](secrets.values), { path: `/webhooks/${forge.name}`, secrets, insecureSkipSignatureVerification: false }, { bodyLimitBytes: LIMIT, ...preAuthDefaults(), accept: intake.accept, readiness, logger });
  const server: RunningServer = await startServer(createApp({ routes: [route], readiness, metricsRegistry: new Registry(), logger }), { host: '127.0.0.1', port: 0 });
  return {
    ...fake,
    url: `${server.url}/webhooks/${forge.name}`,
    close: async () => {
      await server.close();
      await intake.close();
    },
  };
}

async function post(url: string, delivery: Delivery): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  return { status: response.status, body: await response.json() };
}

for (const forge of FORGES) {
  describe(`${forge.name} webhook over a real socket`, () => {
    let harness: Awaited<ReturnType<typeof startForge>>;
    let fixture: Delivery;
    /** The fixture's headers with a fresh delivery id (so the stand-in dispatch creates a run), signed. */
    const delivery = (overrides: { secret?: string; body?: string; drop?: string[]; headers?: Record<string, string> } = {}): Delivery => {
      const body = overrides.body ?? fixture.body;
      const headers: Record<string, string> = { ...fixture.headers };
      if (forge.idHeader !== undefined) headers[forge.idHeader] = randomUUID();
      Object.assign(headers, forge.sign(overrides.secret ?? OLD, body), overrides.headers);
      for (const name of overrides.drop ?? []) delete headers[name];
      return { headers, body };
    };
    const authHeaders = () => Object.keys(forge.sign('x', '{}'));

    before(async () => {
      fixture = { ...(await loadForgeFixture(forge.fixtures, forge.push)) };
      fixture.headers = { ...fixture.headers };
      harness = await startForge(forge, [{ values: [OLD, NEW] }]);
    });
    after(() => harness.close());

    const cases: { name: string; delivery: () => Delivery; status: number; code?: string }[] = [
      { name: 'signed with the current secret', delivery: () => delivery(), status: 200 },
      { name: 'signed with the second (rotated) secret', delivery: () => delivery({ secret: NEW }), status: 200 },
      { name: 'no signature or token', delivery: () => delivery({ drop: authHeaders() }), status: 401, code: 'RB_SIGNATURE' },
      { name: 'signed with another secret', delivery: () => delivery({ secret: 'not-the-secret' }), status: 401, code: 'RB_SIGNATURE' },
      { name: `missing ${forge.eventHeader}`, delivery: () => delivery({ drop: [forge.eventHeader] }), status: 400, code: 'RB_MALFORMED' },
      { name: 'text/plain', delivery: () => delivery({ headers: { 'Content-Type': 'text/plain' } }), status: 415, code: 'RB_CONTENT_TYPE' },
      { name: 'oversize', delivery: () => delivery({ body: `{"padding":"${'x'.repeat(LIMIT)}"}` }), status: 413, code: 'RB_TOO_LARGE' },
      { name: 'malformed JSON, correctly signed', delivery: () => delivery({ body: '{"ref": ' }), status: 400, code: 'RB_MALFORMED' },
      { name: 'JSON that is not an object, correctly signed', delivery: () => delivery({ body: '[1,2]' }), status: 400, code: 'RB_MALFORMED' },
      ...(forge.idHeader === undefined
        ? []
        : [{ name: `missing ${forge.idHeader}`, delivery: () => delivery({ drop: [forge.idHeader!] }), status: forge.name === 'gitlab' ? 200 : 400, ...(forge.name === 'gitlab' ? {} : { code: 'RB_MALFORMED' }) }]),
      ...(forge.name === 'gitlab'
        ? []
        : [
            {
              name: 'signed over another body (tampered)',
              delivery: () => ({ ...delivery(), body: fixture.body.replace('main', 'mainx') }),
              status: 401,
              code: 'RB_SIGNATURE',
            },
          ]),
    ];
    for (const c of cases) {
      test(`${c.name} → ${c.status}${c.code ? ` ${c.code}` : ''}`, async () => {
        const before = harness.events.length;
        const answer = await post(harness.url, c.delivery());
        assert.equal(answer.status, c.status, JSON.stringify(answer.body));
        if (c.code) assert.equal(answer.body.error.code, c.code);
        assert.equal(harness.events.length - before, c.status === 200 ? 1 : 0, 'dispatch calls');
        if (c.status === 200) {
          const event = harness.events.at(-1)!;
          assert.equal(event.source, forge.name);
          assert.equal(event.git?.provider, forge.name);
          assert.equal(event.git?.repository, forge.repository);
          assert.equal(event.git?.branch, 'main');
          assert.equal(answer.body.eventId, event.id);
        }
      });
    }

    test('the same delivery sent twice is the same event: the second answer finds the run of the first', async () => {
      const once = delivery();
      const first = await post(harness.url, once);
      const second = await post(harness.url, once);
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      assert.equal(second.body.eventId, first.body.eventId);
      assert.equal(second.body.message, '1 run already existed');
    });
  });

  describe(`${forge.name} secrets scoped by repository`, () => {
    let harness: Awaited<ReturnType<typeof startForge>>;
    let fixture: Delivery;
    const signed = (secret: string): Delivery => {
      const headers: Record<string, string> = { ...fixture.headers, ...forge.sign(secret, fixture.body) };
      if (forge.idHeader !== undefined) headers[forge.idHeader] = randomUUID();
      return { headers, body: fixture.body };
    };
    before(async () => {
      fixture = await loadForgeFixture(forge.fixtures, forge.push);
      harness = await startForge(forge, [
        { repositories: ['*/*'], values: [NEW] },
        { repositories: [forge.repository], values: [OLD] },
        { repositories: ['someone/else'], values: [OTHER_REPOSITORY] },
      ]);
    });
    after(() => harness.close());

    test('the exact repository entry wins over a glob that also names it', async () => {
      assert.equal((await post(harness.url, signed(OLD))).status, 200);
      const answer = await post(harness.url, signed(NEW));
      assert.equal(answer.status, 401);
      assert.match(answer.body.error.message, new RegExp(`does not cover repository ${forge.repository.replace('/', '\\/')} \\(it needs the secrets of \\[${forge.repository.replace('/', '\\/')}\\]\\)`));
    });

    test("another repository's secret is refused, nothing dispatched", async () => {
      const before = harness.events.length;
      const answer = await post(harness.url, signed(OTHER_REPOSITORY));
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.code, 'RB_SIGNATURE');
      assert.equal(harness.events.length, before);
    });
  });
}

describe('Gitea is keyed by content: a replay from the hook page has a new delivery id and is the same event', () => {
  test('push.json and push-replayed.json → one event id, one run', async () => {
    const forge = FORGES.find((f) => f.name === 'gitea')!;
    const harness = await startForge(forge, [{ values: [OLD] }]);
    try {
      const original = await loadForgeFixture('gitea', 'push.json');
      const replay = await loadForgeFixture('gitea', 'push-replayed.json');
      assert.notEqual(original.headers['X-Gitea-Delivery'], replay.headers['X-Gitea-Delivery']);
      const first = await post(harness.url, { headers: { ...original.headers, ...forge.sign(OLD, original.body) }, body: original.body });
      const second = await post(harness.url, { headers: { ...replay.headers, ...forge.sign(OLD, replay.body) }, body: replay.body });
      assert.equal(first.body.message, '1 run created');
      assert.equal(second.body.message, '1 run already existed');
      assert.equal(second.body.eventId, first.body.eventId);
      assert.equal(harness.runsCreated(), 1);
    } finally {
      await harness.close();
    }
  });
});

describe('secrets without a fallback: a repository no entry names is refused', () => {
  test('401 with the reason', async () => {
    const forge = FORGES.find((f) => f.name === 'bitbucket-cloud')!;
    const harness = await startForge(forge, [{ repositories: ['acme/other'], values: [OLD] }]);
    try {
      const fixture = await loadForgeFixture(forge.fixtures, forge.push);
      const answer = await post(harness.url, { headers: { ...fixture.headers, ...forge.sign(OLD, fixture.body), 'X-Request-UUID': randomUUID() }, body: fixture.body });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error.message, 'no configured secret covers repository acme/shop');
      assert.equal(harness.events.length, 0);
    } finally {
      await harness.close();
    }
  });
});

describe('GitLab signing token (Standard Webhooks), push-signed.json', () => {
  let harness: Awaited<ReturnType<typeof startForge>>;
  let fixture: Delivery;
  const forge = FORGES.find((f) => f.name === 'gitlab')!;
  before(async () => {
    fixture = { ...(await loadForgeFixture('gitlab', 'push-signed.json')) };
    harness = await startForge(forge, [{ values: [SIGNING_TOKEN] }]);
  });
  after(() => harness.close());
  /** The fixture with a fresh Idempotency-Key (so the stand-in dispatch creates a run), signed at `at` (default: its recorded webhook-timestamp). */
  const signed = (options: { at?: Date; token?: string; body?: string } = {}): Delivery => {
    const id = randomUUID();
    const body = options.body ?? fixture.body;
    const at = options.at ?? new Date(Number(fixture.headers['webhook-timestamp']) * 1000);
    const headers = { ...fixture.headers, 'Idempotency-Key': id, ...signStandardWebhook(options.token ?? SIGNING_TOKEN, id, body, at) };
    return { headers, body };
  };
  const now = () => new Date();

  const cases: { name: string; delivery: () => Delivery; status: number }[] = [
    { name: 'signed now with the signing token, no X-Gitlab-Token', delivery: () => signed({ at: now() }), status: 200 },
    { name: 'signed at its recorded webhook-timestamp: a captured delivery replayed later', delivery: () => signed(), status: 401 },
    { name: 'signed ten minutes ago', delivery: () => signed({ at: new Date(Date.now() - 10 * 60_000) }), status: 401 },
    { name: 'signed with another signing token', delivery: () => signed({ at: now(), token: `whsec_${randomBytes(32).toString('base64')}` }), status: 401 },
    { name: 'signed over another body (tampered)', delivery: () => ({ ...signed({ at: now() }), body: fixture.body.replace('main', 'mainx') }), status: 401 },
    {
      name: 'webhook-id and webhook-timestamp without webhook-signature',
      delivery: () => {
        const { 'webhook-signature': _, ...headers } = signed({ at: now() }).headers;
        return { headers, body: fixture.body };
      },
      status: 401,
    },
    { name: 'the signing token sent as X-Gitlab-Token is not a signature', delivery: () => ({ headers: { ...fixture.headers, 'X-Gitlab-Token': SIGNING_TOKEN }, body: fixture.body }), status: 401 },
  ];
  for (const c of cases) {
    test(`${c.name} → ${c.status}`, async () => {
      const before = harness.events.length;
      const answer = await post(harness.url, c.delivery());
      assert.equal(answer.status, c.status, JSON.stringify(answer.body));
      assert.equal(harness.events.length - before, c.status === 200 ? 1 : 0, 'dispatch calls');
      if (c.status === 200) {
        const event = harness.events.at(-1)!;
        assert.equal(event.git?.provider, 'gitlab');
        assert.equal(event.git?.branch, 'main');
      } else {
        assert.equal(answer.body.error.code, 'RB_SIGNATURE');
      }
    });
  }

  test('signed again for a retry (a new webhook-timestamp, the same webhook-id): the same event, no second run', async () => {
    const id = fixture.headers['Idempotency-Key']!;
    const sign = (at: Date): Delivery => ({ headers: { ...fixture.headers, ...signStandardWebhook(SIGNING_TOKEN, id, fixture.body, at) }, body: fixture.body });
    const first = await post(harness.url, sign(new Date(Date.now() - 60_000)));
    const retry = await post(harness.url, sign(new Date()));
    assert.equal(first.body.message, '1 run created');
    assert.equal(retry.body.message, '1 run already existed');
    assert.equal(retry.body.eventId, `gitlab:${id}`);
  });
});
