/**
 * Webhook ingest: signed ~9 kB GitHub push deliveries (test/fixtures/github/push.json), each with a
 * new delivery id, posted by autocannon over loopback to `runbridge serve` (the real CLI in its own
 * process: file intake, file sink and file state store on a temporary directory on disk).
 * runbridge is measured three ways:
 * - by default, with one matching run configuration: every delivery stores one intake record,
 *   writes one run and one submission record; the answer waits up to
 *   `server.answerWithinSeconds` for the runs (200 once they exist);
 * - the same with `answerWithinSeconds: 0` (202 right after the event is stored; the runs follow);
 * - ingest: a run configuration on another repository, so each delivery is verified, parsed,
 *   stored, matched and finished without a run — what the intake itself costs.
 * Measured in the same run and alternated with it: the bare baseline, an Express 5 server that
 * only verifies the signature with the same library and answers 200; the intake floor, which adds
 * to the baseline only what any receiver that stores an event before answering must do (parse the
 * JSON, one group-committed append); and the run floor, the intake floor plus one run file created
 * durably per delivery before the answer (the least any receiver that answers once each delivery's
 * run is on disk must do).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITLAB_PUSH_RUN_CONFIGURATION, OTHER_REPOSITORY_RUN_CONFIGURATION, PUSH_RUN_CONFIGURATION, writeBenchConfig } from './support/bench-config.ts';
import { countFiles } from './support/count-files.ts';
import { daemonTimings } from './support/daemon-timings.ts';
import { fsyncLatency } from './support/fsync-latency.ts';
import { fmt, ratio, type Benchmark } from './support/report.ts';
import { startBareServer, startIntakeFloorServer, startRunbridge } from './support/start-servers.ts';
import { median } from './support/stats.ts';
import { quiet } from './support/machine.ts';
import { fireDeliveries, fireDeliveriesApart, gitlabPush, signedPush, type LoadResult } from './support/webhook-load.ts';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const ROUNDS = 3;
const ROUND_SECONDS = 4;
const FIXED_RATE = 1_000;
const FIXED_RATE_SECONDS = 5;
const FIXED_RATE_CONNECTIONS = 20;
const ARGO_EVENTS_PER_SECOND = 50;

const SERVERS = ['bare', 'floor', 'runFloor', 'runbridge', 'stored', 'ingest', 'gitlab'] as const;
type ServerKey = (typeof SERVERS)[number];

/** Waits until the daemon's intake holds no pending event; how long that took, in seconds. */
async function drained(url: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const report = (await (await fetch(`${url}/status`)).json()) as { intake?: { pending: number } };
    if ((report.intake?.pending ?? 0) === 0) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const webhookIngest: Benchmark = {
  name: 'webhook',
  title: 'Webhook ingest: signed GitHub push → stored in the intake → run written (file intake, sink and state)',
  async run({ log }) {
    const push = await signedPush();
    const gitlab = await gitlabPush();
    const runConfigurations = [PUSH_RUN_CONFIGURATION, GITLAB_PUSH_RUN_CONFIGURATION];
    const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-webhook-'));
    const storedDir = join(dir, 'answer-at-store');
    const ingestDir = join(dir, 'ingest');
    const floorDir = join(dir, 'floor');
    const runFloorDir = join(dir, 'run-floor');
    for (const d of [storedDir, ingestDir, floorDir, runFloorDir]) await mkdir(d);
    const runbridge = await startRunbridge(await writeBenchConfig(dir, { type: 'file', directory: 'runs' }, runConfigurations));
    const stored = await startRunbridge(await writeBenchConfig(storedDir, { type: 'file', directory: 'runs' }, [PUSH_RUN_CONFIGURATION], { answerWithinSeconds: 0 }));
    const ingest = await startRunbridge(await writeBenchConfig(ingestDir, { type: 'file', directory: 'runs' }, [OTHER_REPOSITORY_RUN_CONFIGURATION]));
    const bare = await startBareServer();
    const floor = await startIntakeFloorServer(floorDir);
    const runFloor = await startIntakeFloorServer(runFloorDir, true);
    try {
      const target: Record<ServerKey, string> = {
        bare: `${bare.url}/webhooks/github`,
        floor: `${floor.url}/webhooks/github`,
        runFloor: `${runFloor.url}/webhooks/github`,
        runbridge: `${runbridge.url}/webhooks/github`,
        stored: `${stored.url}/webhooks/github`,
        ingest: `${ingest.url}/webhooks/github`,
        gitlab: `${runbridge.url}/webhooks/gitlab`,
      };
      const fire = (key: ServerKey, options: { connections: number; duration: number; overallRate?: number }): Promise<LoadResult> =>
        fireDeliveries({ url: target[key], push: key === 'gitlab' ? gitlab : push, ...options });
      log(`warm-up: ${WARMUP_SECONDS} s each`);
      const warm: Partial<Record<ServerKey, LoadResult>> = {};
      for (const key of SERVERS) warm[key] = await fire(key, { connections: CONNECTIONS, duration: WARMUP_SECONDS });
      await drained(stored.url);
      const rounds: Record<ServerKey, LoadResult>[] = [];
      const storedDrainSeconds: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1}/${ROUNDS}: ${ROUND_SECONDS} s each, ${CONNECTIONS} connections`);
        // Rotate who goes first, so a burst of outside load does not always hit the same side.
        const measured: Partial<Record<ServerKey, LoadResult>> = {};
        for (let k = 0; k < SERVERS.length; k++) {
          const key = SERVERS[(k + round) % SERVERS.length]!;
          measured[key] = await fire(key, { connections: CONNECTIONS, duration: ROUND_SECONDS });
          // The runs of what the answer-at-store daemon took are still being written: the next
          // server is measured once they are, not against that work.
          if (key === 'stored') storedDrainSeconds.push(await drained(stored.url));
        }
        rounds.push(measured as Record<ServerKey, LoadResult>);
      }
      log(`fixed rate: ${FIXED_RATE}/s for ${FIXED_RATE_SECONDS} s each`);
      const fixed: Partial<Record<ServerKey, LoadResult>> = {};
      const idleBefore: number[] = [];
      for (const key of ['bare', 'floor', 'runFloor', 'runbridge', 'stored', 'ingest'] as const) {
        // Each in a quiet machine, the load generator in a process of its own: the latency is the server's.
        idleBefore.push(await quiet());
        fixed[key] = await fireDeliveriesApart({ url: target[key], push, connections: FIXED_RATE_CONNECTIONS, duration: FIXED_RATE_SECONDS, overallRate: FIXED_RATE });
        if (key === 'stored') await drained(stored.url);
      }

      const all = (key: ServerKey): LoadResult => combine(rounds.map((r) => r[key]));
      const ratioTo = (key: ServerKey, to: ServerKey): number => median(rounds.map((r) => ratio(r[key].rate, r[to].rate)));
      const floorRatio = ratioTo('floor', 'bare');
      const runFloorRatio = ratioTo('runFloor', 'floor');
      const rbFloor = ratioTo('runbridge', 'floor');
      const rbRunFloor = ratioTo('runbridge', 'runFloor');
      const storedFloor = ratioTo('stored', 'floor');
      const ingestFloor = ratioTo('ingest', 'floor');
      const storedRounds = rounds.map((r) => r.stored);
      const storedSustained = storedRounds.reduce((n, r) => n + r.ok, 0) / storedRounds.reduce((n, r, i) => n + r.seconds + (storedDrainSeconds[i] ?? 0), 0);
      const delivered = (warm.runbridge?.ok ?? 0) + (warm.gitlab?.ok ?? 0) + rounds.reduce((n, r) => n + r.runbridge.ok + r.gitlab.ok, 0) + (fixed.runbridge?.ok ?? 0);
      const timings = await daemonTimings(runbridge.url);
      const written = await countFiles(join(dir, 'runs'), '.yaml');
      const fsyncMs = await fsyncLatency(dir);
      const fixedMet = (r: LoadResult | undefined): boolean => r !== undefined && r.p99 < 25 && r.failed === 0 && r.rate >= FIXED_RATE * 0.95;
      const row = (label: string, r: LoadResult): (string | number)[] => [label, fmt(r.rate), fmt(r.p50), fmt(r.p99), r.failed];
      const fixedRow = (label: string, r: LoadResult): (string | number)[] => [label, fmt(r.rate), fmt(r.p50), fmt(r.p90), fmt(r.p99), fmt(r.max), r.failed];
      return {
        tables: [
          {
            columns: ['server', 'deliveries/s', 'p50 ms', 'p99 ms', 'failed'],
            rows: [
              row('bare Express 5 + verify (baseline)', all('bare')),
              row('intake floor: baseline + JSON.parse + one group-committed append', all('floor')),
              ['ratio intake floor / baseline (median of rounds)', fmt(floorRatio), '', '', ''],
              row('run floor: intake floor + one run file created durably before the answer', all('runFloor')),
              ['ratio run floor / intake floor (median of rounds)', fmt(runFloorRatio), '', '', ''],
              row('runbridge serve, ingest: stored, matched, no run configuration of its repository', all('ingest')),
              ['ratio runbridge ingest / intake floor (median of rounds)', fmt(ingestFloor), '', '', ''],
              row('runbridge serve, answer when the runs exist (default answerWithinSeconds: 3)', all('runbridge')),
              ['ratio runbridge / intake floor (median of rounds)', fmt(rbFloor), '', '', ''],
              ['ratio runbridge / run floor (median of rounds)', fmt(rbRunFloor), '', '', ''],
              row('runbridge serve, answer once stored (answerWithinSeconds: 0)', all('stored')),
              ['ratio runbridge answer-once-stored / intake floor (median of rounds)', fmt(storedFloor), '', '', ''],
              ['runbridge answer-once-stored, sustained: answers / (load + time to write their runs)', fmt(storedSustained), '', '', ''],
              row('runbridge serve, GitLab push (X-Gitlab-Token), the first daemon', all('gitlab')),
              ['ratio runbridge GitLab / baseline (median of rounds)', fmt(ratioTo('gitlab', 'bare')), '', '', ''],
              ['ratio runbridge / baseline (median of rounds)', fmt(ratioTo('runbridge', 'bare')), '', '', ''],
            ],
          },
          {
            columns: [`fixed rate ${fmt(FIXED_RATE)}/s, ${FIXED_RATE_SECONDS} s`, 'achieved/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'failed'],
            rows: [
              fixedRow('bare Express 5 + verify (baseline)', fixed.bare!),
              fixedRow('intake floor (see above)', fixed.floor!),
              fixedRow('run floor (see above)', fixed.runFloor!),
              fixedRow('runbridge serve, ingest (no run)', fixed.ingest!),
              fixedRow('runbridge serve, answer when the runs exist', fixed.runbridge!),
              fixedRow('runbridge serve, answer once stored', fixed.stored!),
            ],
          },
        ],
        targets: [
          { description: 'ingest throughput ≥ 0.8 × the intake floor (stored and matched, no run)', actual: `${fmt(ingestFloor)} × (rounds: ${rounds.map((r) => fmt(ratio(r.ingest.rate, r.floor.rate))).join(', ')})`, met: ingestFloor >= 0.8 },
          {
            description: 'throughput ≥ 0.8 × the intake floor (answer when the runs exist)',
            actual: `${fmt(rbFloor)} × (rounds: ${rounds.map((r) => fmt(ratio(r.runbridge.rate, r.floor.rate))).join(', ')}); the run floor itself reaches ${fmt(runFloorRatio)} ×, runbridge ${fmt(rbRunFloor)} × the run floor`,
            met: rbFloor >= 0.8,
          },
          { description: 'throughput ≥ 0.8 × the intake floor (answer once stored)', actual: `${fmt(storedFloor)} × (rounds: ${rounds.map((r) => fmt(ratio(r.stored.rate, r.floor.rate))).join(', ')})`, met: storedFloor >= 0.8 },
          {
            description: `p99 < 25 ms at a fixed ${fmt(FIXED_RATE)} deliveries/s (answer when the runs exist)`,
            actual: `${fmt(fixed.runbridge!.p99)} ms at ${fmt(fixed.runbridge!.rate)}/s, ${fixed.runbridge!.failed} failed`,
            met: fixedMet(fixed.runbridge),
          },
          {
            description: `p99 < 25 ms at a fixed ${fmt(FIXED_RATE)} deliveries/s (ingest, no run)`,
            actual: `${fmt(fixed.ingest!.p99)} ms at ${fmt(fixed.ingest!.rate)}/s, ${fixed.ingest!.failed} failed`,
            met: fixedMet(fixed.ingest),
          },
          {
            description: `p99 < 25 ms at a fixed ${fmt(FIXED_RATE)} deliveries/s (answer once stored)`,
            actual: `${fmt(fixed.stored!.p99)} ms at ${fmt(fixed.stored!.rate)}/s, ${fixed.stored!.failed} failed`,
            met: fixedMet(fixed.stored),
          },
        ],
        notes: [
          `${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${ROUND_SECONDS} s after a ${WARMUP_SECONDS} s warm-up; each server in its own process, autocannon in the bench process.`,
          `Every delivery has a new X-GitHub-Delivery id: the first daemon verified, parsed, stored, matched, rendered and wrote ${fmt(written)} run files for ${fmt(delivered)} 2xx answers (more files than answers: requests still in flight when a load stops are not counted by autocannon).`,
          `Each delivery is stored before it is answered: its intake record is appended to the intake's journal (O_DSYNC, group commit); with the default answer, its run file is then written and fsynced and its submission record journaled before the 200. One write + fsync + directory fsync on this disk took p50 ${fmt(fsyncMs.p50)} ms, p90 ${fmt(fsyncMs.p90)} ms during the run.`,
          `The answer-once-stored daemon still writes every run: after each of its rounds the next server waits until its intake is empty (${storedDrainSeconds.map((s) => fmt(s)).join(', ')} s); its sustained figure counts that time.`,
          `The daemon's own metrics (first daemon, whole run): ${fmt(timings.eventMs)} ms per event from dispatch to recorded, of which ${fmt(timings.submitMs)} ms in the file sink's submit.`,
          `The run floor (the same server with \`run\`) is the intake floor plus, after the append, one ~1 kB run file per delivery created with O_CREAT|O_EXCL|O_SYNC and its folder fsynced (deliveries arriving during a folder sync share the next) before the answer: no temporary name, link, rendering or submission record. Its ratio to the intake floor, ${fmt(runFloorRatio)} ×, bounds any receiver that answers once each delivery's run file is on disk; runbridge's default answer does that and more (a temporary name linked into place, the submission record journaled).`,
          `The ingest daemon serves one run configuration on another repository: each delivery is verified, parsed, normalized, stored in the intake (group commit), matched against its repository's run configurations (none) and finished (its done record journaled after the answer).`,
          `The intake floor (bench/servers/intake-floor-server.ts) is the baseline plus JSON.parse and one line per delivery (the delivery id and the whole payload) appended to a log opened with O_DSYNC, the lines that arrive during a write going together in the next one: no matching, rendering, state store, logging or metrics. Its ratio to the baseline, ${fmt(floorRatio)} ×, bounds what a receiver that stores each event before answering reaches on this machine.`,
          `The GitLab row posts GitLab's documented push (test/fixtures/gitlab/push.json, ${fmt(Buffer.byteLength(gitlab.body) / 1024)} kB) with X-Gitlab-Token and a new Idempotency-Key each, to the first daemon's /webhooks/gitlab, in the same rounds; its baseline is the GitHub one.`,
          `Fixed-rate latencies are autocannon's, corrected for coordinated omission; ${FIXED_RATE_CONNECTIONS} connections; autocannon in a process of its own, each server's load started once the machine was quiet (idle share before each: ${idleBefore.map((i) => fmt(i)).join(', ')}): the daemons measured before keep working for a while after their load (journal compaction, runs still being written).`,
          `For scale: Argo Events' only published throughput figure is ~${ARGO_EVENTS_PER_SECOND} events/s (different hardware and work; an order of magnitude only). runbridge did ${fmt(all('runbridge').rate)} deliveries/s here on disk.`,
        ],
        data: { fsyncMs, timings, rounds, storedDrainSeconds, storedSustained, fixedRate: fixed, floorRatio, runFloorRatio, rbFloor, rbRunFloor, storedFloor, ingestFloor, runsWritten: written, delivered },
      };
    } finally {
      await runbridge.child.stop();
      await stored.child.stop();
      await ingest.child.stop();
      await bare.child.stop();
      await floor.child.stop();
      await runFloor.child.stop();
      await rm(dir, { recursive: true, force: true });
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
