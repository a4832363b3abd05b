/**
 * Completions and chaining, in two parts (the memory of a daemon holding many run configurations
 * is the `memory` benchmark).
 *
 * 1. Throughput: run-completion messages (KFP-Operator's bare `{"data": {...}}`) published on core
 *    NATS and taken by runbridge's core NATS completion source → completion handler (correlate,
 *    ledger, latest runs, joins) → dispatcher → downstream run rendered into a recording sink,
 *    with the file state store (embedded default) and JetStream KV (production). Floor, in the same
 *    run: a raw subscribe loop that parses the same messages, and the same loop rendering each
 *    message's downstream run from the same template with plain Handlebars (no safety, no state):
 *    the least a chaining tool that renders a run per completion does.
 * 2. Cascade: 1,001 run configurations (a root fanning out to 100 chains 10 deep); one root
 *    completion, then each created run's completion, until all 1,000 downstream runs exist
 *    (JetStream KV state, as chaining runs in production).
 *    Floor: the same 1,000 runs rendered and submitted straight.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsConnectionOptions } from '../src/nats/connection-options.ts';
import { DEFAULT_CONCURRENCY } from '../src/sources/completions/start-core-nats-source.ts';
import { createMemorySink } from '../src/sinks/memory-sink.ts';
import { startNatsServer } from '../test/support/nats-server.ts';
import { cascade, renderStraight } from './support/cascade.ts';
import { chainForest } from './support/chain-forest.ts';
import { startChainingStack, type StoreKind } from './support/chaining-stack.ts';
import { REPO_ROOT } from './support/child-process.ts';
import { completionBody } from './support/completion-message.ts';
import { naiveRenderer } from './support/naive-renderer.ts';
import { rawSubscribeLoop, throughCompletionSource, type Throughput } from './support/nats-throughput.ts';
import { fmt, ratio, type Benchmark } from './support/report.ts';
import { median } from './support/stats.ts';

const WARMUP = 500;
/** Each measured batch is sized from the warm-up to take about this long. */
const TARGET_SECONDS = 5;
const MAX_BATCH = 25_000;
const RAW_BATCH = 20_000;
const CASCADE = { roots: 1, chains: 100, depth: 10 };
const TARGET_RATE = 5_000;

export const completions: Benchmark = {
  name: 'completions',
  title: 'Completions: NATS completion events → downstream runs; cascades',
  async run({ log }) {
    const nats = await startNatsServer({ jetstream: true });
    const dir = await mkdtemp(join(tmpdir(), 'runbridge-bench-completions-'));
    const nc = await connect({ servers: nats.url, name: 'bench-consumer' });
    const pub = await connect({ servers: nats.url, name: 'bench-publisher' });
    try {
      const pair = chainForest({ roots: 1, chains: 1, depth: 1 }, ['nats']);
      const upstream = pair.roots[0]!;
      let sequence = 0;
      const bodies = (n: number, tag: string) =>
        Array.from({ length: n }, () => {
          sequence += 1;
          return completionBody({ runConfigurationName: upstream, runName: `${tag}-${sequence}`, artifacts: [{ name: 'out', location: `s3://bench/${sequence}` }], sequence });
        });

      log('raw subscribe loop: warm-up and first measurement');
      await rawSubscribeLoop(nc, pub, bodies(1_000, 'raw-warm'));
      const raw: Throughput[] = [await rawSubscribeLoop(nc, pub, bodies(RAW_BATCH, 'raw'))];
      const renderDownstream = await downstreamRenderer();
      await rawSubscribeLoop(nc, pub, bodies(1_000, 'render-warm'), renderDownstream);
      const rendered: Throughput[] = [await rawSubscribeLoop(nc, pub, bodies(RAW_BATCH, 'render'), renderDownstream)];
      // As in the daemon: one connection with runbridge's options for the completion source and the KV store.
      const stores: { name: string; kind: (nc: NatsConnection) => StoreKind }[] = [
        { name: 'file state store (embedded default)', kind: () => ({ type: 'file', directory: join(dir, `state-${sequence}`) }) },
        { name: 'JetStream KV state store (production)', kind: (nc) => ({ type: 'nats', nc }) },
      ];
      const measured: { store: string; result: Throughput; runs: number; storeCalls: number; storeMs: number }[] = [];
      for (const store of stores) {
        const consumer = await runbridgeConnection(nats.url);
        const kind = store.kind(consumer);
        const sink = createMemorySink();
        const stack = await startChainingStack(pair.runConfigurations, { store: kind, sink, baseDir: dir });
        try {
          const options = { handle: stack.handle, logger: stack.logger, timeoutMs: 30_000 };
          const warm = await throughCompletionSource(consumer, pub, bodies(WARMUP, 'warm'), options);
          const batch = Math.max(100, Math.min(MAX_BATCH, Math.round(warm.rate * TARGET_SECONDS)));
          log(`${store.name}: warm-up ${fmt(warm.rate)}/s; measuring ${batch} completions`);
          const before = sink.runs.length;
          const ops = { ...stack.storeOps };
          const result = await throughCompletionSource(consumer, pub, bodies(batch, 'run'), options);
          const per = Math.max(1, result.handled);
          measured.push({
            store: store.name,
            result,
            runs: sink.runs.length - before,
            storeCalls: (stack.storeOps.calls - ops.calls) / per,
            storeMs: (stack.storeOps.ms - ops.ms) / per,
          });
        } finally {
          await stack.close();
          await consumer.close().catch(() => undefined);
        }
        raw.push(await rawSubscribeLoop(nc, pub, bodies(RAW_BATCH, 'raw')));
        rendered.push(await rawSubscribeLoop(nc, pub, bodies(RAW_BATCH, 'render'), renderDownstream));
      }
      const rawRate = median(raw.map((r) => r.rate));
      const renderedRate = median(rendered.map((r) => r.rate));

      log(`cascade: ${CASCADE.roots} root → ${CASCADE.chains} chains × ${CASCADE.depth} deep`);
      const forest = chainForest(CASCADE, ['nats']);
      const kv = await runbridgeConnection(nats.url);
      const cascadeStack = await startChainingStack(forest.runConfigurations, { store: { type: 'nats', nc: kv }, sink: createMemorySink(), baseDir: dir });
      const cascadeCpu = process.cpuUsage();
      const chained = await cascade(cascadeStack, forest.roots[0]!).finally(async () => {
        await cascadeStack.close();
        await kv.close();
      });
      const cascadeCpuSeconds = cpuSeconds(process.cpuUsage(cascadeCpu));
      const straightCpu = process.cpuUsage();
      const downstreamRcs = cascadeStack.loaded.runConfigurations.filter((rc) => rc.upstreams.length > 0);
      const straight = await renderStraight(downstreamRcs, createMemorySink());
      const straightCpuSeconds = cpuSeconds(process.cpuUsage(straightCpu));

      const best = Math.max(...measured.map((m) => m.result.rate));
      return {
        tables: [
          {
            columns: ['completion path (core NATS)', 'events/s', 'handled', 'failed', 'downstream runs', 'ratio to raw loop', 'store calls / event', 'ms in store / event'],
            rows: [
              ['raw subscribe loop, JSON.parse only (floor)', fmt(rawRate), fmt(median(raw.map((r) => r.handled))), 0, '', '', '', ''],
              ['raw loop + the downstream run rendered (plain Handlebars to text)', fmt(renderedRate), fmt(median(rendered.map((r) => r.handled))), 0, fmt(median(rendered.map((r) => r.handled))), fmt(ratio(renderedRate, rawRate), 3), '', ''],
              ...measured.map((m) => [
                `runbridge, ${m.store}`,
                fmt(m.result.rate),
                fmt(m.result.handled),
                m.result.failed,
                fmt(m.runs),
                fmt(ratio(m.result.rate, rawRate), 3),
                fmt(m.storeCalls, 1),
                fmt(m.storeMs, 1),
              ]),
            ],
          },
          {
            columns: [`cascade (${fmt(forest.runConfigurations.length)} run configurations)`, 'runs', 'seconds', 'CPU seconds', 'runs/s', 'problems'],
            rows: [
              ['the same runs rendered and submitted straight (floor)', fmt(straight.runs), fmt(straight.seconds), fmt(straightCpuSeconds), fmt(straight.runs / straight.seconds), 0],
              [
                'one root completion → every downstream run (JetStream KV state)',
                fmt(chained.runs),
                fmt(chained.seconds),
                fmt(cascadeCpuSeconds),
                fmt(chained.runs / chained.seconds),
                chained.problems.length,
              ],
              ['ratio cascade / floor (time)', '', fmt(ratio(chained.seconds, straight.seconds)), '', '', ''],
            ],
          },
        ],
        targets: [
          ...measured.map((m) => ({
            description: `≥ ${fmt(TARGET_RATE)} completion events/s (${m.store})`,
            actual: `${fmt(m.result.rate)}/s`,
            met: m.result.rate >= TARGET_RATE && m.result.failed === 0,
          })),
          { description: '≥ 0.5 × the raw NATS subscribe loop', actual: `best ${fmt(ratio(best, rawRate), 3)} ×`, met: ratio(best, rawRate) >= 0.5 },
        ],
        notes: [
          `Each completion is for a new upstream run (new run id, later end time), so each is correlated, entered in the ledger, recorded as the latest run and starts one downstream run whose parameter is the upstream's artifact; batches sized from a ${WARMUP}-completion warm-up to take ~${TARGET_SECONDS} s (at most ${fmt(MAX_BATCH)}).`,
          `The core NATS source handles up to ${DEFAULT_CONCURRENCY} completions at once (its default; completions of the same run one after another), so state store round trips overlap; updates of one key (the upstream's latest runs, the downstream's last fired run) are coalesced into one compare-and-set write.`,
          `The render floor parses each message and renders its downstream run from the same kfp-run template with plain Handlebars (compiled once, same helpers, no escaping, the text not even parsed): no correlation, dedupe, state, names, labels or checks. Its ratio, ${fmt(ratio(renderedRate, rawRate), 3)} ×, bounds what a tool that renders one run per completion from a Handlebars template reaches against the raw loop here.`,
          `Cascade: completions are handed to the completion handler in process as soon as each run exists (no NATS hop); ${fmt(chained.runs)} of ${fmt(forest.downstreams)} downstream runs created${chained.problems.length ? `; first problem: ${chained.problems[0]}` : ''}.`,
        ],
        data: { raw, rendered, measured, cascade: { chained, straight, cascadeCpuSeconds, straightCpuSeconds, storeCalls: cascadeStack.storeOps.calls } },
      };
    } finally {
      await nc.close().catch(() => undefined);
      await pub.close().catch(() => undefined);
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** A connection made as the daemon makes its shared one (src/nats/connect.ts). */
async function runbridgeConnection(url: string): Promise<NatsConnection> {
  return connect((await natsConnectionOptions({ servers: [url], name: 'runbridge-bench' })).options);
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/**
 * The render floor's work: the downstream's kfp-run template rendered to text from a context made
 * straight from the message (the upstream's artifact as the `input` parameter).
 */
async function downstreamRenderer(): Promise<(message: unknown) => unknown> {
  const render = naiveRenderer(await readFile(join(REPO_ROOT, 'templates', 'kfp-run.yaml.hbs'), 'utf8'), { parseYaml: false });
  return (message) => {
    const data = (message as { data: { runId: string; runEndTime: string; artifacts: { location: string }[] } }).data;
    const params = { provider: 'kfp-operator/vertex-ai', pipeline: 'r0-c0-d1-pipeline', input: data.artifacts[0]?.location ?? '' };
    return render({
      runConfiguration: { name: 'r0-c0-d1', namespace: 'bench' },
      params,
      parameters: Object.entries(params).map(([name, value]) => ({ name, value })),
      labels: {},
      annotations: {},
      artifacts: [{ name: 'out', path: 'Trainer:model' }],
      event: { id: data.runId, source: 'nats', type: 'org.kubeflow.pipelines.run-completion', time: data.runEndTime, trigger: 'runConfiguration' },
      name: `r0-c0-d1-${data.runId}`,
      now: data.runEndTime,
    });
  };
}
