// 300 stalled connections against a daemon in its own process, with the heap limit a container of
// the chart's memory limit gets: headers sent a byte a second, signed headers announcing a body at
// the size limit that never comes, and bodies dripped just faster than the idle timeout. The daemon
// must stay under the chart's memory limit, keep answering at once, and take a signed delivery
// from the forge (another address than the attacker's: one address gets a share of the places only).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import { Webhooks } from '@octokit/webhooks';
import { parse } from 'yaml';
import { startServe, type ServeProcess } from '../shutdown/serve-process.ts';
import { openSocket } from './raw-http.ts';

const SECRET = 'slowloris-webhook-secret-0123456789';
const PUSH = await readFile(new URL('../fixtures/github/push.json', import.meta.url), 'utf8');
const BODY_LIMIT = 1024 * 1024;
const CONNECTIONS = 300;
const ATTACK_MS = 12_000;
const ATTACKER = '127.0.0.1';
const FORGE = '127.0.0.2';

/** The chart's memory limit (resources.limits.memory, in Mi) and the heap it gives node. */
const values = parse(readFileSync(new URL('../../charts/runbridge/values.yaml', import.meta.url), 'utf8')) as { resources: { limits: { memory: string } }; maxOldSpaceSizeMiB: number };
const LIMIT_MIB = Number(/^(\d+)Mi$/.exec(values.resources.limits.memory)?.[1]);
const HEAP_MIB = values.maxOldSpaceSizeMiB;

let dir: string;
let rb: ServeProcess;
before(async () => {
  assert.ok(LIMIT_MIB > 0 && HEAP_MIB > 0 && HEAP_MIB < LIMIT_MIB, 'the chart sets a memory limit and a smaller heap');
  dir = await mkdtemp(join(tmpdir(), 'runbridge-slowloris-'));
  await writeFile(
    join(dir, 'runbridge.yaml'),
    JSON.stringify({
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      server: { host: '127.0.0.1', bodyLimitBytes: BODY_LIMIT, limits: { requestTimeoutSeconds: 10 } },
      github: { secrets: [{ fromEnv: 'RB_SECRET' }] },
      sink: { type: 'file', directory: 'runs' },
      state: { type: 'file', directory: 'state' },
      intake: { directory: 'intake' },
      runConfigurations: [{ name: 'hello', namespace: 'ml', template: 'kfp-run', parameters: [{ name: 'provider', value: 'p' }, { name: 'pipeline', value: 'hello' }], triggers: { git: [{ repository: 'Codertocat/Hello-World' }] } }],
    }),
  );
  rb = await startServe(join(dir, 'runbridge.yaml'), { RB_SECRET: SECRET, LOG_LEVEL: 'info' }, 60_000, [`--max-old-space-size=${HEAP_MIB}`]);
});
after(async () => {
  rb?.kill('SIGKILL');
  await rb?.exited();
  await rm(dir, { recursive: true, force: true });
});

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

/** A genuine signed delivery, from `localAddress` (the forge: another address than the attacker's). */
async function signedDelivery(url: string, localAddress: string): Promise<{ status: number; ms: number; retryAfter: string | null }> {
  const started = performance.now();
  const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await new Webhooks({ secret: SECRET }).sign(PUSH) };
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), path: '/webhooks/github', method: 'POST', headers, localAddress, timeout: 10_000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(PUSH);
  });
}

const signedHead = (): string =>
  'POST /webhooks/github HTTP/1.1\r\nHost: runbridge\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n' +
  `X-GitHub-Delivery: ${randomUUID()}\r\nX-Hub-Signature-256: sha256=${'0'.repeat(64)}\r\nContent-Length: ${BODY_LIMIT}\r\n\r\n`;

type Kind = 'slow-headers' | 'no-body' | 'drip-body';

/** One attacker: keeps one stalled connection of its kind open until `until`, reconnecting when cut off. */
async function attacker(url: string, kind: Kind, until: number, counts: { opened: number; cut: number }): Promise<void> {
  while (Date.now() < until) {
    let socket: Socket;
    try {
      socket = await openSocket(url, ATTACKER);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    counts.opened += 1;
    socket.on('error', () => {});
    socket.on('data', () => {});
    const head = signedHead();
    let sent = 0;
    if (kind !== 'slow-headers') socket.write(head);
    const timer = setInterval(() => {
      if (socket.destroyed) return;
      if (kind === 'slow-headers' && sent < head.length) socket.write(head[sent++] ?? '');
      if (kind === 'drip-body') socket.write(Buffer.alloc(1024, 0x20));
    }, 1000);
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      setTimeout(resolve, Math.max(0, until - Date.now())).unref();
    });
    clearInterval(timer);
    if (!socket.destroyed) {
      socket.destroy();
      return;
    }
    counts.cut += 1;
  }
}

test(`${CONNECTIONS} stalled connections: under the chart's memory limit, answering, and a signed delivery taken`, { timeout: 120_000 }, async (t) => {
  const pid = rb.child.pid!;
  const baseline = rssMiB(pid);
  assert.equal((await signedDelivery(rb.url, FORGE)).status, 200);

  const until = Date.now() + ATTACK_MS;
  const counts = { opened: 0, cut: 0 };
  const kinds: Kind[] = ['slow-headers', 'no-body', 'drip-body'];
  const attack = Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => attacker(rb.url, kinds[i % 3]!, until, counts)));
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 100);

  await new Promise((resolve) => setTimeout(resolve, 3000));
  const during = await signedDelivery(rb.url, FORGE);
  // The attacker's own address is past its share: even a signed delivery from it waits.
  const attackerRefused = await signedDelivery(rb.url, ATTACKER);
  const health = await fetch(`${rb.url}/healthz`, { signal: AbortSignal.timeout(2000) });
  await attack;
  clearInterval(sampler);
  peak = Math.max(peak, rssMiB(pid));

  // Once the attack stops, its slots free and the next signed delivery is taken.
  let after = await signedDelivery(rb.url, FORGE);
  for (let i = 0; i < 20 && after.status === 503; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    after = await signedDelivery(rb.url, FORGE);
  }
  t.diagnostic(`RSS: ${baseline.toFixed(1)} MiB before, peak ${peak.toFixed(1)} MiB under ${CONNECTIONS} stalled connections (${counts.opened} opened, ${counts.cut} cut off by the daemon); limit ${LIMIT_MIB} MiB, heap ${HEAP_MIB} MiB`);
  t.diagnostic(`signed delivery from the forge's address during the attack: ${during.status} in ${during.ms.toFixed(0)} ms; from the attacker's address: ${attackerRefused.status} (Retry-After ${attackerRefused.retryAfter ?? '-'}); after: ${after.status} in ${after.ms.toFixed(0)} ms`);

  assert.ok(peak < LIMIT_MIB, `peak RSS ${peak.toFixed(1)} MiB is over the chart's limit of ${LIMIT_MIB} MiB`);
  assert.equal(health.status, 200, 'the liveness probe starved');
  assert.ok(during.ms < 2000, `a signed delivery during the attack took ${during.ms} ms to be answered`);
  assert.equal(during.status, 200, 'the forge could not deliver during the attack');
  assert.ok(attackerRefused.status === 503 && attackerRefused.retryAfter !== null, `the attacker's address past its share: ${attackerRefused.status}`);
  assert.ok(counts.cut > 0, 'the daemon cut off no stalled connection');
  assert.equal(after.status, 200);
});
