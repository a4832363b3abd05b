/**
 * Kubernetes submission: signed push deliveries → `runbridge serve` (its own process, Kubernetes
 * sink with a high qps/burst) → KFP-Operator Runs created in a real kube-apiserver with the real
 * CRD. The floor, measured in the same run and alternated with it: a raw @kubernetes/client-node
 * loop (KubernetesObjectApi.create) of the same rendered manifests at the same concurrency.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { loadConfig } from '../src/config/load.ts';
import { renderRun } from '../src/render/render-run.ts';
import { startKubeApiServer } from '../test/support/kube-apiserver.ts';
import { SECRET_ENV, writeBenchConfig } from './support/bench-config.ts';
import { REPO_ROOT } from './support/child-process.ts';
import { createLoop, type CreateLoopResult } from './support/create-loop.ts';
import { daemonTimings } from './support/daemon-timings.ts';
import { pushRenderInputs } from './support/quickstart-renders.ts';
import { fmt, ratio, type Benchmark } from './support/report.ts';
import { startRunbridge } from './support/start-servers.ts';
import { median } from './support/stats.ts';
import { BENCH_SECRET, fireDeliveries, signedPush, type LoadResult } from './support/webhook-load.ts';

const CONCURRENCY = 8;
const WARMUP = 20;
/** Runs per path one at a time: latency without queueing. */
const SEQUENTIAL = 20;
const ROUNDS = 2;
const PER_ROUND = 150;
const CRD = join(REPO_ROOT, 'test', 'crds', 'kfp-operator.runs.pipelines.kubeflow.org.yaml');

export const kubeSubmit: Benchmark = {
  name: 'kube',
  title: 'Kubernetes submission: signed push → Run created in a real kube-apiserver',
  async run({ log }) {
    log('starting kube-apiserver (etcd embedded) with the KFP-Operator Run CRD');
    const kube = await startKubeApiServer({ crdFiles: [CRD] });
    const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-kube-'));
    let runbridge: Awaited<ReturnType<typeof startRunbridge>> | undefined;
    try {
      const sink = { type: 'kubernetes', kubeconfig: kube.kubeconfigPath, qps: 100_000, burst: 100_000, maxAttempts: 3 };
      const configFile = await writeBenchConfig(dir, sink);
      runbridge = await startRunbridge(configFile);
      const url = `${runbridge.url}/webhooks/github`;
      const push = await signedPush();

      // The same manifests the daemon renders, for other delivery ids (so other names).
      const loaded = await loadConfig(configFile, { env: { [SECRET_ENV]: BENCH_SECRET } });
      const rc = loaded.runConfigurations[0]!;
      const inputs = await pushRenderInputs(rc, WARMUP + SEQUENTIAL + ROUNDS * PER_ROUND, 'raw');
      const manifests = inputs.map((input) => renderRun(rc.template, input.context, input.provenance) as KubernetesObject);
      const kc = kube.kubeConfig();

      log(`warm-up: ${WARMUP} runs each`);
      const warm = await fireDeliveries({ url, push, connections: CONCURRENCY, amount: WARMUP, idPrefix: 'warm' });
      await createLoop(kc, manifests.slice(0, WARMUP), CONCURRENCY);
      log(`one at a time: ${SEQUENTIAL} runs each`);
      const seqRaw = await createLoop(kc, manifests.slice(WARMUP, WARMUP + SEQUENTIAL), 1);
      const seqRb = await fireDeliveries({ url, push, connections: 1, amount: SEQUENTIAL, idPrefix: 'seq' });
      const first = WARMUP + SEQUENTIAL;
      const rounds: { runbridge: LoadResult; raw: CreateLoopResult }[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`round ${round + 1}/${ROUNDS}: ${PER_ROUND} runs each, ${CONCURRENCY} concurrent`);
        const batch = manifests.slice(first + round * PER_ROUND, first + (round + 1) * PER_ROUND);
        const viaRunbridge = () => fireDeliveries({ url, push, connections: CONCURRENCY, amount: PER_ROUND, idPrefix: `round${round}` });
        if (round % 2 === 0) {
          const raw = await createLoop(kc, batch, CONCURRENCY);
          rounds.push({ raw, runbridge: await viaRunbridge() });
        } else {
          const viaDaemon = await viaRunbridge();
          rounds.push({ runbridge: viaDaemon, raw: await createLoop(kc, batch, CONCURRENCY) });
        }
      }

      const stored = await countRuns(kc);
      const timings = await daemonTimings(runbridge.url);
      const rb = sum(rounds.map((r) => r.runbridge));
      const raw = sum(rounds.map((r) => r.raw));
      const throughputRatio = ratio(rb.rate, raw.rate);
      const addedP50 = seqRb.p50 - seqRaw.p50;
      const expected = warm.ok + WARMUP + seqRaw.ok + seqRb.ok + rounds.reduce((n, r) => n + r.runbridge.ok + r.raw.ok, 0);
      return {
        tables: [
          {
            columns: ['path', 'runs/s', 'p50 ms', 'p99 ms', 'failed'],
            rows: [
              [`raw KubernetesObjectApi.create loop, ${CONCURRENCY} workers (floor)`, fmt(raw.rate), fmt(raw.p50), fmt(raw.p99), raw.failed],
              [`signed webhook → runbridge serve → create, ${CONCURRENCY} connections`, fmt(rb.rate), fmt(rb.p50), fmt(rb.p99), rb.failed],
              ['ratio runbridge / raw', fmt(throughputRatio), '', '', ''],
            ],
          },
          {
            columns: ['one at a time (no queueing)', 'runs/s', 'p50 ms', 'p99 ms', 'failed'],
            rows: [
              ['raw KubernetesObjectApi.create (floor)', fmt(seqRaw.rate), fmt(seqRaw.p50), fmt(seqRaw.p99), seqRaw.failed],
              ['signed webhook → runbridge serve → create', fmt(seqRb.rate), fmt(seqRb.p50), fmt(seqRb.p99), seqRb.failed],
              ['added by runbridge', '', `+${fmt(addedP50)}`, `+${fmt(seqRb.p99 - seqRaw.p99)}`, ''],
            ],
          },
        ],
        targets: [
          { description: '≥ 0.8 × the raw create loop (runs/s)', actual: `${fmt(throughputRatio)} ×`, met: throughputRatio >= 0.8 && rb.failed === 0 },
          {
            description: '≤ 5 ms added p50 latency (one at a time)',
            actual: `${fmt(addedP50)} ms (${fmt(seqRb.p50)} vs ${fmt(seqRaw.p50)}); at ${CONCURRENCY} concurrent ${fmt(rb.p50 - raw.p50)} ms`,
            met: addedP50 <= 5,
          },
        ],
        notes: [
          `${ROUNDS} alternating rounds of ${PER_ROUND} runs per path, after ${WARMUP} warm-up runs and ${SEQUENTIAL} one-at-a-time runs each; the raw loop creates the manifests runbridge renders for the same push (other delivery ids).`,
          `At ${CONCURRENCY} concurrent requests the API server is the bottleneck, so latency there is mostly queueing (Little's law: ${CONCURRENCY} / rate); the added latency target is judged one request at a time.`,
          'runbridge latency is the whole delivery: signature, parse, match, render, create (sink with qps/burst 100,000), dedupe record (file state store, fsynced), answer.',
          `The daemon's own metrics (whole run): ${fmt(timings.eventMs)} ms per event from dispatch to recorded, of which ${fmt(timings.submitMs)} ms in the Kubernetes sink's create.`,
          `The API server holds ${fmt(stored)} Runs afterwards (expected ${fmt(expected)}: every 2xx is a stored run).`,
        ],
        data: { timings, sequential: { raw: seqRaw, runbridge: seqRb }, rounds, stored, expected, throughputRatio, addedP50 },
      };
    } finally {
      await runbridge?.child.stop();
      await kube.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

interface Sample {
  ok: number;
  failed: number;
  seconds: number;
  p50: number;
  p99: number;
}

function sum(samples: readonly Sample[]): Sample & { rate: number } {
  const ok = samples.reduce((n, s) => n + s.ok, 0);
  const seconds = samples.reduce((n, s) => n + s.seconds, 0);
  return {
    ok,
    seconds,
    rate: ok / seconds,
    failed: samples.reduce((n, s) => n + s.failed, 0),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
  };
}

async function countRuns(kc: KubeConfig): Promise<number> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const list = (await api.listNamespacedCustomObject({ group: 'pipelines.kubeflow.org', version: 'v1beta1', namespace: 'default', plural: 'runs' })) as { items?: unknown[] };
  return list.items?.length ?? 0;
}
