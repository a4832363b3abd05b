/**
 * Memory of a daemon holding 10,000 run configurations, next to one holding one: RSS and heap
 * after the configuration is loaded and the daemon is serving.
 */
import { holdConfig } from './support/hold-config-rss.ts';
import { fmt, type Benchmark } from './support/report.ts';

const HELD = 10_000;
const TARGET_RSS_MIB = 200;

export const memory: Benchmark = {
  name: 'memory',
  title: 'Memory: a daemon holding 10,000 run configurations',
  async run({ log }) {
    log(`a daemon holding ${fmt(HELD)} run configurations, and one holding 1`);
    const held = await holdConfig(HELD);
    const idle = await holdConfig(1);
    return {
      tables: [
        {
          columns: ['daemon holding', 'load s', 'RSS MiB', 'RSS after 3 s idle', 'heap total MiB', 'heap used MiB'],
          rows: [idle, held].map((h) => [`${h.runConfigurations.toLocaleString('en-US')} run configuration${h.runConfigurations === 1 ? '' : 's'}`, fmt(h.loadSeconds), fmt(h.atOnce.rssMiB), fmt(h.afterIdle.rssMiB), fmt(h.afterIdle.heapTotalMiB), fmt(h.afterIdle.heapUsedMiB)]),
        },
      ],
      targets: [
        {
          description: `RSS < ${TARGET_RSS_MIB} MB with ${fmt(HELD)} run configurations loaded`,
          actual: `${fmt(held.afterIdle.rssMiB)} MiB (1 run configuration: ${fmt(idle.afterIdle.rssMiB)} MiB)`,
          met: held.afterIdle.rssMiB * 1.048576 < TARGET_RSS_MIB,
        },
      ],
      notes: [
        `${fmt(HELD)} run configurations = 100 git-triggered roots × 11 chains × 9 deep, each with a runConfigurationRef parameter; the probe loads the file, starts the daemon (HTTP server, file sink and state) and builds the chaining index, then collects garbage.`,
      ],
      data: { held, idle },
    };
  },
};
