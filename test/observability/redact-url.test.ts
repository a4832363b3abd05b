import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { redactUrlCredentials } from '../../src/observability/redact-url.ts';
import { runCli } from '../../src/cli/run-cli.ts';

test('attack: credentials in URLs are replaced wherever they appear in a text', () => {
  const cases: Array<[string, string]> = [
    ['cannot connect to NATS at nats://runbridge:pa55word@nats.example:4222', 'cannot connect to NATS at nats://***@nats.example:4222'],
    ['nats://s3cret-token@a:4222, tls://u:p@b:4222', 'nats://***@a:4222, tls://***@b:4222'],
    ['https://user:p%40ss@host/path?q=a@b', 'https://***@host/path?q=a@b'],
    ['no credentials: nats://a:4222 and user@example.com', 'no credentials: nats://a:4222 and user@example.com'],
  ];
  for (const [text, expected] of cases) assert.equal(redactUrlCredentials(text), expected);
});

test('attack: runbridge status given a URL with credentials does not print them', async () => {
  const stdout = new PassThrough();
  const stderrStream = new PassThrough();
  await runCli(['status', '--url', 'http://admin:pa55word@127.0.0.1:1'], { stdout, stderr: stderrStream, env: {} });
  const stderr = String(stderrStream.read() ?? '');
  assert.match(stderr, /http:\/\/\*\*\*@127\.0\.0\.1:1/);
  assert.ok(!stderr.includes('pa55word'), stderr);
});
