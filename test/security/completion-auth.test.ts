// Attacks on the HTTP completion endpoint (docs/security.md, "HTTP completions"): a completion
// chooses the artifact a downstream run consumes, so an unauthenticated one must change nothing.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { StatusReport } from '../../src/chaining/status/status-report.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { completionData, structuredEnvelope } from '../completions/fixtures.ts';
import { config, issuesOf, loadInline } from '../config/load-inline.ts';
import { headWithoutBody, statusOf } from './raw-http.ts';

const OLD_TOKEN = 'old-completion-token-0123456789abcdef012345';
const NEW_TOKEN = 'new-completion-token-0123456789abcdef012345';
const HMAC_SECRET = 'completion-hmac-secret-0123456789abcdef0123';
const ENV = { WEBHOOK_SECRET: 'test-secret', OLD_TOKEN, NEW_TOKEN, HMAC_SECRET };

const upstream = { name: 'example-generator', namespace: 'ml', template: 'static-run', completionSources: ['http'] };
const downstream = {
  name: 'trainer',
  namespace: 'ml',
  template: 'static-run',
  parameters: [{ name: 'examples', valueFrom: { runConfigurationRef: { name: 'example-generator', outputArtifact: 'examples' } } }],
  triggers: { runConfigurations: ['example-generator'] },
};
const auth = { tokens: [{ fromEnv: 'OLD_TOKEN' }, { fromEnv: 'NEW_TOKEN' }], hmacSecrets: [{ fromEnv: 'HMAC_SECRET' }] };

/** A completion of the upstream naming `location` as its examples, ending far in the future (the pinning attack). */
function forged(id: string, location: string): string {
  const data = completionData({ runConfigurationName: 'ml/example-generator', runName: null, runId: `run-${id}`, runEndTime: new Date().toISOString(), artifacts: [{ name: 'examples', location }] });
  return JSON.stringify(structuredEnvelope(id, data));
}

describe('the HTTP completion endpoint refuses whoever cannot prove who they are', () => {
  let directory: string;
  let daemon: Daemon;
  const runFiles = async () => (await readdir(join(directory, 'runs'), { recursive: true }).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml'));
  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${daemon.internalUrl}/events`, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', ...headers }, body });
  const latestExamples = async (): Promise<unknown> => {
    const report = (await (await fetch(`${daemon.internalUrl}/status?runConfiguration=ml/example-generator`)).json()) as StatusReport;
    return report.runConfigurations[0]?.latest.succeeded?.artifacts;
  };

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'runbridge-completion-auth-'));
    const loaded = await loadInline(
      {
        ...config(upstream, downstream),
        completions: { http: { path: '/events', auth } },
        status: { cacheSeconds: 0 },
        sink: { type: 'file', directory: join(directory, 'runs') },
        state: { type: 'file', directory: join(directory, 'state') },
        intake: { directory: join(directory, 'intake') },
      },
      { env: ENV },
    );
    daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: ENV, port: 0, internalPort: 0 });
  });
  after(async () => {
    await daemon?.shutdown('test over');
    await rm(directory, { recursive: true, force: true });
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['no credentials at all', {}, 'missing credentials'],
    ['a bearer token that is not configured', { authorization: `Bearer ${'x'.repeat(40)}` }, 'invalid bearer token'],
    ['a Basic authorization', { authorization: `Basic ${Buffer.from(`u:${OLD_TOKEN}`).toString('base64')}` }, 'missing credentials'],
    ['a signature made with another secret', { 'x-runbridge-signature': `sha256=${createHmac('sha256', 'guess').update('x').digest('hex')}` }, 'does not match'],
    ['a signature that is not sha256=<hex>', { 'x-runbridge-signature': 'deadbeef' }, 'does not match'],
  ];
  for (const [name, headers, reason] of refusals) {
    test(`${name}: 401, nothing stored, no run, the latest artifacts unchanged`, async () => {
      const response = await post(headers, forged(`forged-${name}`, 'gs://attacker/examples'));
      assert.equal(response.status, 401);
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'RB_UNAUTHORIZED');
      assert.match(body.error.message, new RegExp(reason));
      assert.deepEqual(await runFiles(), []);
      assert.equal(await latestExamples(), undefined);
    });
  }

  test('a signature over another body does not carry over to this one', async () => {
    const genuine = forged('sig-replay', 'gs://real/examples');
    const signature = `sha256=${createHmac('sha256', HMAC_SECRET).update(genuine).digest('hex')}`;
    const response = await post({ 'x-runbridge-signature': signature }, forged('sig-replay', 'gs://attacker/examples'));
    assert.equal(response.status, 401);
    assert.equal(await latestExamples(), undefined);
  });

  test('without credentials the body is never read: the answer comes while the body is still owed', async () => {
    const head = `POST /events HTTP/1.1\r\nHost: runbridge\r\nContent-Type: application/cloudevents+json\r\nContent-Length: 900000\r\n\r\n`;
    const { text } = await headWithoutBody(daemon.internalUrl, head, 3000);
    assert.equal(statusOf(text), 401, text);
  });

  test('both tokens of a rotation are accepted, and so is a signature over the exact body', async () => {
    const old = await post({ authorization: `Bearer ${OLD_TOKEN}` }, forged('c-old', 'gs://real/examples/1'));
    assert.equal(old.status, 200, await old.clone().text());
    const fresh = await post({ authorization: `Bearer ${NEW_TOKEN}` }, forged('c-new', 'gs://real/examples/2'));
    assert.equal(fresh.status, 200);
    const body = forged('c-signed', 'gs://real/examples/3');
    const signed = await post({ 'x-runbridge-signature': `sha256=${createHmac('sha256', HMAC_SECRET).update(body).digest('hex')}` }, body);
    assert.equal(signed.status, 200);
    assert.equal((await runFiles()).length, 3);
  });

  test('a completion answer names the runs it started, never where the sink wrote them', async () => {
    const response = await post({ authorization: `Bearer ${NEW_TOKEN}` }, forged('c-answer', 'gs://real/examples/4'));
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.ok(!text.includes(directory), `the answer shows a path of the sink: ${text}`);
    assert.doesNotMatch(text, /"location":"\//);
    assert.match(text, /"runConfiguration":"ml\/trainer"/);
  });
});

describe('completions.http.auth at load: closed unless it says who may post', () => {
  const base = { ...config(upstream), state: { type: 'file', directory: '/tmp/unused' } };

  test('no tokens and no HMAC secrets: refused with the field path', async () => {
    const issues = await issuesOf({ ...base, completions: { http: { path: '/events' } } });
    assert.deepEqual(issues.map((i) => i.path), ['completions.http.auth']);
  });

  test('the insecure opt-out is accepted, with a warning', async () => {
    const loaded = await loadInline({ ...base, completions: { http: { auth: { insecureNoAuthentication: true } } } });
    assert.ok(loaded.warnings.some((w) => w.path === 'completions.http.auth.insecureNoAuthentication'));
  });

  test('a short token fails the start with its field path, and never shows the token', async () => {
    const loaded = await loadInline({ ...base, completions: { http: { auth: { tokens: [{ fromEnv: 'SHORT' }] } } } }, { env: { WEBHOOK_SECRET: 'test-secret', SHORT: 'short-token' } });
    await assert.rejects(startDaemon(loaded, { logger: pino({ level: 'silent' }), env: { WEBHOOK_SECRET: 'test-secret', SHORT: 'short-token' }, port: 0, internalPort: 0 }), (error: unknown) => {
      const message = String(error);
      assert.match(message, /completions\.http\.auth\.tokens\[0\]\.fromEnv: this completion token is 11 characters long/);
      assert.ok(!message.includes('short-token'));
      return true;
    });
  });
});
