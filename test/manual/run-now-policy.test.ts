// The run-now API's limits, as the attacks they stop, over a real socket through the daemon as
// `serve` wires it: a run configuration that did not opt in, a caller overriding a parameter it
// may not (the pipeline, an artifact reference), token guessing; and the limiter's bounds.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import type { Daemon } from '../../src/daemon/start-daemon.ts';
import { failedAttempts } from '../../src/sources/manual/failed-attempts.ts';
import { loadInline } from '../config/load-inline.ts';
import { startRunNowDaemon, TOKEN } from './run-now-daemon.ts';

let dir: string;
let daemon: Daemon;
let url: string;
let runsDir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbridge-run-now-policy-'));
  ({ daemon, url, runsDir } = await startRunNowDaemon(dir, { token: { fromEnv: 'RUNBRIDGE_API_TOKEN' }, maxFailedAttempts: 3, failureWindowSeconds: 60 }));
});
after(async () => {
  await daemon.shutdown('test over');
  await rm(dir, { recursive: true, force: true });
});

async function runCount(): Promise<number> {
  try {
    return (await readdir(runsDir, { recursive: true })).filter((f) => String(f).endsWith('.yaml')).length;
  } catch {
    return 0;
  }
}

async function post(path: string, token: string, params?: Record<string, string>): Promise<{ status: number; headers: Headers; body: { error?: { code: string; message: string } } }> {
  const response = await fetch(`${url}/api/v1/run-configurations/${path}/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(params ? { params } : {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: { code: string; message: string } } };
}

describe('opt-in and overridable parameters', () => {
  test('attack: a run configuration that did not opt in is refused with 403, and nothing runs', async () => {
    const before = await runCount();
    const answer = await post('ml/evaluator', TOKEN);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error?.code, 'RB_FORBIDDEN');
    assert.match(answer.body.error?.message ?? '', /ml\/evaluator does not accept manual runs \(manual\.enabled is not true\)/);
    assert.equal(await runCount(), before);
  });

  test('attack: overriding a declared parameter that is not listed (the kind of run) is refused with 403 naming it, and nothing runs', async () => {
    const before = await runCount();
    const answer = await post('ml/trainer', TOKEN, { epochs: '5', customKind: 'Deploy' });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error?.code, 'RB_FORBIDDEN');
    assert.match(answer.body.error?.message ?? '', /does not let callers override customKind; overridable: epochs \(manual\.parameters\)/);
    assert.equal(await runCount(), before);
  });

  test('a listed parameter is overridden and the run is created', async () => {
    const answer = await post('ml/trainer', TOKEN, { epochs: '5' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  });

  test('an undeclared parameter is still a 422 from the dispatcher', async () => {
    const answer = await post('ml/trainer', TOKEN, { learningRate: '0.1' });
    assert.equal(answer.status, 422);
  });
});

describe('failed authentication attempts', () => {
  test('attack: guessing tokens from one address gets 429 with Retry-After after 3 failures, even for the right token then', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('ml/trainer', `guess-${i}-${'x'.repeat(32)}`)).status);
    assert.deepEqual(statuses, [401, 401, 401]);
    const limited = await post('ml/trainer', `guess-4-${'x'.repeat(32)}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error?.code, 'RB_RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, String(retryAfter));
    assert.equal((await post('ml/trainer', TOKEN, { epochs: '6' })).status, 429, 'the window is not reopened by a right guess');
  });
});

describe('failedAttempts', () => {
  test('a client is let in again when its window is over', () => {
    let now = 0;
    const attempts = failedAttempts({ maxFailures: 2, windowMs: 1_000, clock: () => now });
    attempts.fail('10.0.0.1');
    assert.equal(attempts.retryAfterMs('10.0.0.1'), 0);
    attempts.fail('10.0.0.1');
    assert.equal(attempts.retryAfterMs('10.0.0.1'), 1_000);
    assert.equal(attempts.retryAfterMs('10.0.0.2'), 0, 'other addresses are not affected');
    now = 400;
    assert.equal(attempts.retryAfterMs('10.0.0.1'), 600);
    now = 1_000;
    assert.equal(attempts.retryAfterMs('10.0.0.1'), 0);
    attempts.fail('10.0.0.1');
    assert.equal(attempts.retryAfterMs('10.0.0.1'), 0, 'a new window starts with one failure');
  });

  test('attack: failures from 100,000 addresses keep at most maxClients remembered', () => {
    const attempts = failedAttempts({ maxFailures: 5, windowMs: 60_000, maxClients: 1_000 });
    for (let i = 0; i < 100_000; i++) attempts.fail(`addr-${i}`);
    assert.equal(attempts.size(), 1_000);
  });
});

describe('configuration', () => {
  const base = { apiVersion: 'runbridge.dev/v1alpha1', kind: 'Config', api: { token: { fromEnv: 'API_TOKEN' } } };
  const rc = { name: 'train', template: 'echo-run', parameters: [{ name: 'message', value: 'hi' }] };

  test('manual.parameters must name declared parameters, each once', async () => {
    await assert.rejects(
      loadInline({ ...base, runConfigurations: [{ ...rc, manual: { enabled: true, parameters: ['message', 'pipeline', 'message'] } }] }, { env: { API_TOKEN: 'x' } }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.deepEqual(
          error.issues.map((i) => `${i.path}: ${i.message.replace(/ \(line \d+\)$/, '')}`),
          [
            'runConfigurations[0].manual.parameters[1]: pipeline is not a parameter of this run configuration (declared: message)',
            'runConfigurations[0].manual.parameters[2]: message is listed twice',
          ],
        );
        return true;
      },
    );
  });

  test('manual runs are off by default', async () => {
    const loaded = await loadInline({ ...base, runConfigurations: [rc] }, { env: { API_TOKEN: 'x' } });
    assert.deepEqual(loaded.config.runConfigurations[0]?.manual, { enabled: false, parameters: [] });
  });
});
