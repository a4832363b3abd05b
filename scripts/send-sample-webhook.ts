/**
 * Sends a signed GitHub delivery to a running runbridge, as GitHub would:
 *
 *   node scripts/send-sample-webhook.ts [payload.json] [--url URL] [--delivery ID] [--event NAME]
 *
 * The payload defaults to test/fixtures/github/push.json and is sent byte for byte, signed
 * (X-Hub-Signature-256) with $GITHUB_WEBHOOK_SECRET, or else with the content of
 * examples/quickstart.secret. Each call uses a fresh delivery id; pass `--delivery ID` with the id
 * printed by an earlier call to send a redelivery (runbridge answers with the run it already made).
 * The event name (X-GitHub-Event) is guessed from the file name (ping, pull-request, release,
 * otherwise push) unless `--event` is given.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Webhooks } from '@octokit/webhooks';

const repoRoot = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080/webhooks/github' },
    delivery: { type: 'string' },
    event: { type: 'string' },
  },
});

const payloadPath = resolve(positionals[0] ?? resolve(repoRoot, 'test/fixtures/github/push.json'));
const body = readFileSync(payloadPath, 'utf8');
const event = values.event ?? eventFromFileName(basename(payloadPath));
const deliveryId = values.delivery ?? randomUUID();
const secret = webhookSecret();

const response = await fetch(values.url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/runbridge-sample',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': await new Webhooks({ secret }).sign(body),
  },
  body,
}).catch((err: unknown) => {
  console.error(`cannot reach ${values.url} (${(err as Error).cause ?? (err as Error).message}): is runbridge running?`);
  process.exit(1);
});
const text = await response.text();
console.log(`POST ${values.url}  ${event}  delivery ${deliveryId}`);
console.log(`${response.status} ${response.statusText}`);
console.log(prettyJson(text));
process.exitCode = response.ok ? 0 : 1;

function webhookSecret(): string {
  const fromEnv = process.env['GITHUB_WEBHOOK_SECRET'];
  if (fromEnv) return fromEnv;
  const file = resolve(repoRoot, 'examples/quickstart.secret');
  if (existsSync(file)) {
    const fromFile = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    if (fromFile) return fromFile;
  }
  console.error('no secret: set GITHUB_WEBHOOK_SECRET (or create examples/quickstart.secret)');
  process.exit(2);
}

function eventFromFileName(name: string): string {
  if (name.startsWith('ping')) return 'ping';
  if (name.startsWith('pull-request') || name.startsWith('pull_request')) return 'pull_request';
  if (name.startsWith('release')) return 'release';
  return 'push';
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
