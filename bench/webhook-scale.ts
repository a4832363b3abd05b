/**
 * Webhook cost against the number of run configurations: a platform with one run configuration
 * per repository. Two `runbridge serve` processes (file sink and state on disk) hold the same
 * matching run configuration (the push fixture's repository, Codertocat/Hello-World) beside 9 and
 * 9,999 others, each on its own repository. Signed pushes with new delivery ids are sent one at a
 * time, to each server in turn, and timed from request to the end of the answer;
 * the answer's size is measured too. A delivery should cost the same whatever the number of
 * unrelated run configurations: the p50 with 10,000 within 1.25 × the p50 with 10.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PUSH_RUN_CONFIGURATION, writeBenchConfig } from './support/bench-config.ts';
import { fmt, ratio, type Benchmark } from './support/report.ts';
import { startRunbridge, type RunningServer } from './support/start-servers.ts';
import { median, quantile } from './support/stats.ts';
import { daemonTimings } from './support/daemon-timings.ts';
import { signedPush, type SignedPush } from './support/webhook-load.ts';

const SIZES = [10, 10_000] as const;
const WARMUP = 200;
const ROUNDS = 5;
const PER_ROUND = 200;
const TARGET_RATIO = 1.25;

/** The matching run configuration, then `count - 1` others, each on a repository of its own. */
function runConfigurations(count: number): object[] {
  // Copies, not shared objects: the YAML writer would make shared ones aliases.
  const others = Array.from({ length: count - 1 }, (_, i) => ({
    ...structuredClone(PUSH_RUN_CONFIGURATION),
    name: `component-${i}`,
    triggers: { git: [{ repository: `platform/component-${i}`, events: ['push'], branches: ['main', 'master'] }] },
  }));
  return [PUSH_RUN_CONFIGURATION, ...others];
}

interface Delivery {
  readonly ms: number;
  readonly bytes: number;
}

async function deliver(server: RunningServer, push: SignedPush, id: string): Promise<Delivery> {
  const started = performance.now();
  const response = await fetch(`${server.url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, 'x-hub-signature-256': push.signature },
    body: push.body,
  });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`delivery ${id} answered ${response.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return { ms, bytes: body.byteLength };
}

export const webhookScale: Benchmark = {
  name: 'webhook-scale',
  title: 'Webhook cost against the number of run configurations (one per repository)',
  async run({ log }) {
    const push = await signedPush();
    const prefix = randomBytes(4).toString('hex');
    let sequence = 0;
    const dirs: string[] = [];
    const servers: RunningServer[] = [];
    try {
      for (const size of SIZES) {
        const dir = await mkdtemp(join(tmpdir(), `runbridge-bench-scale-${size}-`));
        dirs.push(dir);
        const started = performance.now();
        servers.push(await startRunbridge(await writeBenchConfig(dir, { type: 'file', directory: 'runs' }, runConfigurations(size))));
        log(`${fmt(size, 0)} run configurations: serving after ${fmt((performance.now() - started) / 1000)} s`);
      }
      const samples: Delivery[][] = SIZES.map(() => []);
      for (const server of servers) for (let i = 0; i < WARMUP; i++) await deliver(server, push, `${prefix}-${sequence++}`);
      const roundRatios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1}/${ROUNDS}: ${PER_ROUND} deliveries each, one at a time, alternating`);
        // One delivery to each in turn, first one then the other: outside load hits both alike.
        const measured: Delivery[][] = servers.map(() => []);
        for (let i = 0; i < PER_ROUND; i++) {
          for (let k = 0; k < servers.length; k++) {
            const s = (k + i) % servers.length;
            measured[s]!.push(await deliver(servers[s]!, push, `${prefix}-${sequence++}`));
          }
        }
        measured.forEach((m, s) => samples[s]!.push(...m));
        roundRatios.push(ratio(median(measured[1]!.map((d) => d.ms)), median(measured[0]!.map((d) => d.ms))));
      }
      const timings = await Promise.all(servers.map((server) => daemonTimings(server.url)));
      const rows = SIZES.map((size, s) => {
        const ms = samples[s]!.map((d) => d.ms);
        return { size, p50: median(ms), p90: quantile(ms, 0.9), p99: quantile(ms, 0.99), bytes: median(samples[s]!.map((d) => d.bytes)), eventMs: timings[s]!.eventMs };
      });
      const p50Ratio = median(roundRatios);
      const small = rows[0]!;
      const large = rows[1]!;
      return {
        tables: [
          {
            columns: ['run configurations (1 matching)', 'p50 ms', 'p90 ms', 'p99 ms', 'answer bytes', 'daemon ms/event (mean)'],
            rows: [
              ...rows.map((r) => [fmt(r.size, 0), fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.bytes, 0), fmt(r.eventMs)]),
              [`ratio ${fmt(large.size, 0)} / ${fmt(small.size, 0)} (median of rounds)`, fmt(p50Ratio), '', '', fmt(ratio(large.bytes, small.bytes)), fmt(ratio(large.eventMs, small.eventMs))],
            ],
          },
        ],
        targets: [
          {
            description: `webhook p50 with ${fmt(large.size, 0)} run configurations ≤ ${TARGET_RATIO} × with ${fmt(small.size, 0)}`,
            actual: `${fmt(p50Ratio)} × (${fmt(large.p50)} vs ${fmt(small.p50)} ms; rounds: ${roundRatios.map((r) => fmt(r)).join(', ')}); answers ${fmt(large.bytes, 0)} vs ${fmt(small.bytes, 0)} bytes`,
            met: p50Ratio <= TARGET_RATIO,
          },
        ],
        notes: [
          `${ROUNDS} rounds of ${PER_ROUND} deliveries per server, one at a time, the two servers taking turns, after ${WARMUP} each to warm up; each delivery has a new id, so each writes one run and its submission record durably before it is answered.`,
          'Every run configuration but one names a repository of its own (exact name): the delivery is matched only against the run configurations of its repository and those with repository patterns; the rest are counted in the answer (`unrelated`), not listed.',
        ],
        data: { rows, roundRatios, p50Ratio, timings },
      };
    } finally {
      for (const server of servers) await server.child.stop();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  },
};
