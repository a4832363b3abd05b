// `runbridge trigger` against a running daemon: the run it prints, and clear errors for a refused
// token, an unknown run configuration, an undeclared parameter, a daemon without the API, and
// usage mistakes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.ts';
import type { Daemon } from '../../src/daemon/start-daemon.ts';
import { startRunNowDaemon, TOKEN } from './run-now-daemon.ts';

let dir: string;
let url: string;
let bareUrl: string;
const daemons: Daemon[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbridge-trigger-'));
  const withApi = await startRunNowDaemon(join(dir, 'api'), { token: { fromEnv: 'RUNBRIDGE_API_TOKEN' } });
  const without = await startRunNowDaemon(join(dir, 'bare'), undefined);
  daemons.push(withApi.daemon, without.daemon);
  url = withApi.url;
  bareUrl = without.url;
});
after(async () => {
  for (const d of daemons) await d.shutdown('test over');
  await rm(dir, { recursive: true, force: true });
});

async function trigger(args: string[], env: NodeJS.ProcessEnv = { RUNBRIDGE_API_TOKEN: TOKEN }): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (c: Buffer) => out.push(c.toString()));
  stderr.on('data', (c: Buffer) => err.push(c.toString()));
  const code = await runCli(['trigger', ...args], { stdout, stderr, env });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('runbridge trigger', () => {
  test('prints the run created, with parameters', async () => {
    const result = await trigger(['trainer', '--namespace', 'ml', '--param', 'epochs=5', '--url', url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^created: tekton\.dev\/v1beta1 CustomRun ml\/trainer-[0-9a-f]+ \(run configuration ml\/trainer, event manual-[0-9a-f-]+\)\n$/);
  });

  test('NS/NAME, a token file and an idempotency key: the second call reports the same run', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, `${TOKEN}\n`);
    const args = ['ml/trainer', '--token-file', tokenFile, '--idempotency-key', 'retrain-42', '--url', url];
    const first = await trigger(args, {});
    const second = await trigger(args, {});
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const name = (s: string): string | undefined => /CustomRun (\S+)/.exec(s)?.[1];
    assert.equal(name(second.stdout), name(first.stdout));
    assert.match(second.stdout, /^already existed: /);
  });

  test('--json prints the answer', async () => {
    const result = await trigger(['trainer', '-n', 'ml', '--json', '--url', url]);
    assert.equal(result.code, 0);
    const answer = JSON.parse(result.stdout) as { run: { kind: string; created: boolean } };
    assert.deepEqual([answer.run.kind, answer.run.created], ['CustomRun', true]);
  });

  const refusals: [string, string[], NodeJS.ProcessEnv | undefined, RegExp][] = [
    ['a wrong token', ['trainer', '-n', 'ml'], { RUNBRIDGE_API_TOKEN: 'nope' }, /refused the API token \(401\)/],
    ['an unknown run configuration', ['nope', '-n', 'ml'], undefined, /no run configuration ml\/nope at .* \(404\)/],
    ['an undeclared parameter', ['trainer', '-n', 'ml', '-p', 'learningRate=0.1'], undefined, /the run was refused \(422\): run configuration ml\/trainer declares no parameter "learningRate"/],
  ];
  for (const [name, args, env, message] of refusals) {
    test(`exit 1 and a clear message for ${name}`, async () => {
      const result = await trigger([...args, '--url', url], env);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
    });
  }

  test('a daemon without api.token: says the API is off', async () => {
    const result = await trigger(['trainer', '-n', 'ml', '--url', bareUrl]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /does not serve the run-now API \(404\): set api\.token/);
  });

  test('nothing listening: cannot reach', async () => {
    const result = await trigger(['trainer', '--url', 'http://127.0.0.1:9']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  const usage: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['no name', [], { RUNBRIDGE_API_TOKEN: TOKEN }, /give exactly one run configuration NAME/],
    ['two names', ['a', 'b'], { RUNBRIDGE_API_TOKEN: TOKEN }, /give exactly one/],
    ['a parameter without =', ['trainer', '-p', 'epochs'], { RUNBRIDGE_API_TOKEN: TOKEN }, /--param "epochs" is not NAME=VALUE/],
    ['no token', ['trainer'], {}, /no API token: pass --token-file FILE or set RUNBRIDGE_API_TOKEN/],
    ['an unknown option', ['trainer', '--nope'], { RUNBRIDGE_API_TOKEN: TOKEN }, /Unknown option '--nope'/],
    ['conflicting namespaces', ['ml/trainer', '-n', 'other'], { RUNBRIDGE_API_TOKEN: TOKEN }, /invalid run configuration/],
  ];
  for (const [name, args, env, message] of usage) {
    test(`exit 2 for ${name}`, async () => {
      const result = await trigger(args, env);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
    });
  }

  test('--help', async () => {
    const result = await trigger(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: runbridge trigger NAME/);
    assert.match(result.stdout, /--idempotency-key/);
  });
});
