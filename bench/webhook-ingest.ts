/**
 * Webhook ingest: signed ~9 kB GitHub push deliveries (test/fixtures/github/push.json), each with a
 * new delivery id, posted by autocannon over loopback to `runbridge serve` (the real CLI in its own
 * process: file sink and file state store on a temporary directory, one matching run
 * configuration, so every delivery writes one run and one submission record). The baseline, measured in
 * the same run and alternated with it, is a bare Express 5 server that only verifies the signature
 * with the same library and answers 200. A third server, the durable floor, adds to the baseline only
 * what any receiver that answers after the delivery is durable must do (parse the JSON, create one
 * small file durably): its ratio bounds what such a receiver can reach on this machine.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITLAB_PUSH_RUN_CONFIGURATION, PUSH_RUN_CONFIGURATION, writeBenchConfig } from './support/bench-config.ts';
import { countFiles } from './support/count-files.ts';
import { daemonTimings } from './support/daemon-timings.ts';
import { fsyncLatency } from './support/fsync-latency.ts';
import { fmt, ratio, type Benchmark } from './support/report.ts';
import { startBareServer, startDurableFloorServer, startRunbridge } from './support/start-servers.ts';
import { median } from './support/stats.ts';
import { fireDeliveries, gitlabPush, signedPush, type LoadResult } from './support/webhook-load.ts';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const ROUNDS = 3;
const ROUND_SECONDS = 4;
const FIXED_RATE = 1_000;
const FIXED_RATE_SECONDS = 5;
/** Memory-backed, where fsync costs nothing: the same daemon without the disk. */
const TMPFS = '/dev/shm';
const FIXED_RATE_CONNECTIONS = 20;
const ARGO_EVENTS_PER_SECOND = 50;

export const webhookIngest: Benchmark = {
  name: 'webhook',
  title: 'Webhook ingest: signed GitHub push → run written (file sink)',
  async run({ log }) {
    const push = await signedPush();
    const gitlab = await gitlabPush();
    const runConfigurations = [PUSH_RUN_CONFIGURATION, GITLAB_PUSH_RUN_CONFIGURATION];
    const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-webhook-'));
    const memoryDir = existsSync(TMPFS) ? await mkdtemp(join(TMPFS, 'runbridge-bench-webhook-')) : undefined;
    const runbridge = await startRunbridge(await writeBenchConfig(dir, { type: 'file', directory: 'runs' }, runConfigurations));
    const inMemory = memoryDir ? await startRunbridge(await writeBenchConfig(memoryDir, { type: 'file', directory: 'runs' })) : undefined;
    const bare = await startBareServer();
    const floorDir = join(dir, 'floor');
    await mkdir(floorDir);
    const floor = await startDurableFloorServer(floorDir);
    try {
      const target = {
        runbridge: `${runbridge.url}/webhooks/github`,
        gitlab: `${runbridge.url}/webhooks/gitlab`,
        bare: `${bare.url}/webhooks/github`,
        floor: `${floor.url}/webhooks/github`,
        tmpfs: inMemory ? `${inMemory.url}/webhooks/github` : undefined,
      };
      log(`warm-up: ${WARMUP_SECONDS} s each`);
      await fireDeliveries({ url: target.bare, push, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      await fireDeliveries({ url: target.floor, push, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      const warm = await fireDeliveries({ url: target.runbridge, push, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      const warmGitlab = await fireDeliveries({ url: target.gitlab, push: gitlab, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      if (target.tmpfs) await fireDeliveries({ url: target.tmpfs, push, connections: CONNECTIONS, duration: WARMUP_SECONDS });
      const rounds: { bare: LoadResult; floor: LoadResult; runbridge: LoadResult; gitlab: LoadResult; tmpfs?: LoadResult }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1}/${ROUNDS}: ${ROUND_SECONDS} s each, ${CONNECTIONS} connections`);
        // Rotate who goes first, so a burst of outside load does not always hit the same side.
        const order = (['bare', 'floor', 'runbridge', 'gitlab', 'tmpfs'] as const).filter((k) => target[k] !== undefined);
        const measured: Partial<Record<(typeof order)[number], LoadResult>> = {};
        for (let k = 0; k < order.length; k++) {
          const key = order[(k + round) % order.length]!;
          measured[key] = await fireDeliveries({ url: target[key]!, push: key === 'gitlab' ? gitlab : push, connections: CONNECTIONS, duration: ROUND_SECONDS });
        }
        rounds.push({ bare: measured.bare!, floor: measured.floor!, runbridge: measured.runbridge!, gitlab: measured.gitlab!, ...(measured.tmpfs ? { tmpfs: measured.tmpfs } : {}) });
      }
      log(`fixed rate: ${FIXED_RATE}/s for ${FIXED_RATE_SECONDS} s each`);
      const fixedBare = await fireDeliveries({ url: target.bare, push, connections: FIXED_RATE_CONNECTIONS, duration: FIXED_RATE_SECONDS, overallRate: FIXED_RATE });
      const fixedFloor = await fireDeliveries({ url: target.floor, push, connections: FIXED_RATE_CONNECTIONS, duration: FIXED_RATE_SECONDS, overallRate: FIXED_RATE });
      const fixed = await fireDeliveries({ url: target.runbridge, push, connections: FIXED_RATE_CONNECTIONS, duration: FIXED_RATE_SECONDS, overallRate: FIXED_RATE });

      const bareAll = combine(rounds.map((r) => r.bare));
      const rbAll = combine(rounds.map((r) => r.runbridge));
      const floorAll = combine(rounds.map((r) => r.floor));
      const gitlabAll = combine(rounds.map((r) => r.gitlab));
      const gitlabRatio = median(rounds.map((r) => ratio(r.gitlab.rate, r.bare.rate)));
      const floorRatio = median(rounds.map((r) => ratio(r.floor.rate, r.bare.rate)));
      const tmpfsRounds = rounds.flatMap((r) => (r.tmpfs ? [r.tmpfs] : []));
      const tmpfsAll = tmpfsRounds.length ? combine(tmpfsRounds) : undefined;
      const roundRatios = rounds.map((r) => ratio(r.runbridge.rate, r.bare.rate));
      const throughputRatio = median(roundRatios);
      const delivered = warm.ok + warmGitlab.ok + rounds.reduce((n, r) => n + r.runbridge.ok + r.gitlab.ok, 0) + fixed.ok;
      const timings = await daemonTimings(runbridge.url);
      const written = await countFiles(join(dir, 'runs'), '.yaml');
      const fsyncMs = await fsyncLatency(dir);
      const fixedOk = fixed.failed === 0 && fixed.rate >= FIXED_RATE * 0.95;
      return {
        tables: [
          {
            columns: ['server', 'deliveries/s', 'p50 ms', 'p99 ms', 'failed'],
            rows: [
              ['bare Express 5 + verify (baseline)', fmt(bareAll.rate), fmt(bareAll.p50), fmt(bareAll.p99), bareAll.failed],
              ['runbridge serve, file sink + file state on disk', fmt(rbAll.rate), fmt(rbAll.p50), fmt(rbAll.p99), rbAll.failed],
              ['ratio runbridge / baseline (median of rounds)', fmt(throughputRatio), '', '', ''],
              ['runbridge serve, GitLab push (X-Gitlab-Token), the same daemon', fmt(gitlabAll.rate), fmt(gitlabAll.p50), fmt(gitlabAll.p99), gitlabAll.failed],
              ['ratio runbridge GitLab / baseline (median of rounds)', fmt(gitlabRatio), '', '', ''],
              ['durable floor: baseline + JSON.parse + one file created durably', fmt(floorAll.rate), fmt(floorAll.p50), fmt(floorAll.p99), floorAll.failed],
              ['ratio durable floor / baseline (the most any durable receiver reaches here)', fmt(floorRatio), '', '', ''],
              ...(tmpfsAll
                ? [
                    [`runbridge serve, the same on tmpfs (${TMPFS}: fsync is free)`, fmt(tmpfsAll.rate), fmt(tmpfsAll.p50), fmt(tmpfsAll.p99), tmpfsAll.failed],
                    ['ratio runbridge on tmpfs / baseline', fmt(median(rounds.flatMap((r) => (r.tmpfs ? [ratio(r.tmpfs.rate, r.bare.rate)] : [])))), '', '', ''],
                  ]
                : []),
            ],
          },
          {
            columns: [`fixed rate ${fmt(FIXED_RATE)}/s, ${FIXED_RATE_SECONDS} s`, 'achieved/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
            rows: [
              ['bare Express 5 + verify (baseline)', fmt(fixedBare.rate), fmt(fixedBare.p50), fmt(fixedBare.p90), fmt(fixedBare.p99), fmt(fixedBare.max), fixedBare.failed],
              ['durable floor (see above)', fmt(fixedFloor.rate), fmt(fixedFloor.p50), fmt(fixedFloor.p90), fmt(fixedFloor.p99), fmt(fixedFloor.max), fixedFloor.failed],
              ['runbridge serve, file sink + file state on disk', fmt(fixed.rate), fmt(fixed.p50), fmt(fixed.p90), fmt(fixed.p99), fmt(fixed.max), fixed.failed],
            ],
          },
        ],
        targets: [
          { description: 'throughput ≥ 0.7 × the bare baseline', actual: `${fmt(throughputRatio)} × (rounds: ${roundRatios.map((r) => fmt(r)).join(', ')})`, met: throughputRatio >= 0.7 },
          {
            description: `p99 < 25 ms at a fixed ${fmt(FIXED_RATE)} deliveries/s`,
            actual: `${fmt(fixed.p99)} ms at ${fmt(fixed.rate)}/s, ${fixed.failed} failed`,
            met: fixed.p99 < 25 && fixedOk,
          },
        ],
        notes: [
          `The GitLab row posts GitLab's documented push (test/fixtures/gitlab/push.json, ${fmt(Buffer.byteLength(gitlab.body) / 1024)} kB) with X-Gitlab-Token and a new Idempotency-Key each, to the same daemon's /webhooks/gitlab, in the same rounds; its baseline is the GitHub one (the bare server verifies GitHub's HMAC).`,
          `${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; each server in its own process, autocannon in the bench process.`,
          `Every delivery has a new X-GitHub-Delivery id: runbridge verified, parsed, matched, rendered and wrote ${fmt(written)} run files for ${fmt(delivered)} 2xx answers (more files than answers: requests still in flight when a load stops are not counted by autocannon).`,
          `Each delivery is made durable before it is answered: the run file is written and fsynced before it is linked to its name, and the submission record is written to the state store and fsynced. One write + fsync + directory fsync on this disk took p50 ${fmt(fsyncMs.p50)} ms, p90 ${fmt(fsyncMs.p90)} ms during the run.`,
          `The daemon's own metrics (on disk, whole run): ${fmt(timings.eventMs)} ms per event from dispatch to recorded, of which ${fmt(timings.submitMs)} ms in the file sink's submit; the rest is matching, rendering, the submission record (a lookup, then one compare-and-set write) and the chaining bookkeeping (the run configuration's last fired run).`,
          `The durable floor (bench/servers/durable-floor-server.ts) is the baseline plus JSON.parse and one small file per delivery written, fsynced, linked to a name made from the delivery id and its folder fsynced, with callback fs calls: no matching, rendering, state store, logging or metrics. Its ratio, ${fmt(floorRatio)} ×, bounds what a receiver that never answers 2xx for an event that could still be lost reaches on this machine; runbridge reached ${fmt(ratio(throughputRatio, floorRatio))} of it.`,
          `Fixed-rate latencies are autocannon's, corrected for coordinated omission; ${FIXED_RATE_CONNECTIONS} connections.`,
          `For scale: Argo Events' only published throughput figure is ~${ARGO_EVENTS_PER_SECOND} events/s (different hardware and work; an order of magnitude only). runbridge did ${fmt(rbAll.rate)} deliveries/s here on disk${tmpfsAll ? `, ${fmt(tmpfsAll.rate)} on tmpfs` : ''}.`,
        ],
        data: { fsyncMs, timings, rounds, gitlabRatio, fixedRate: { bare: fixedBare, floor: fixedFloor, runbridge: fixed }, throughputRatio, floorRatio, runsWritten: written, delivered },
      };
    } finally {
      await runbridge.child.stop();
      await inMemory?.child.stop();
      await bare.child.stop();
      await floor.child.stop();
      await rm(dir, { recursive: true, force: true });
      if (memoryDir) await rm(memoryDir, { recursive: true, force: true });
    }
  },
};

function combine(results: readonly LoadResult[]): LoadResult {
  const ok = results.reduce((n, r) => n + r.ok, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  return {
    ok,
    failed: results.reduce((n, r) => n + r.failed, 0),
    seconds,
    rate: ok / seconds,
    // Percentiles do not add up: the median round's.
    p50: median(results.map((r) => r.p50)),
    p90: median(results.map((r) => r.p90)),
    p99: median(results.map((r) => r.p99)),
    max: Math.max(...results.map((r) => r.max)),
  };
}
