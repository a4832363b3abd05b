/**
 * The load generator in a process of its own, for fixed-rate loads: the latency a server shows at
 * a fixed rate is then its own, not that of a bench process whose event loop also keeps the other
 * servers' books (and collects their garbage). Prints the LoadResult as one JSON line.
 *
 *   node bench/support/fire-deliveries-process.ts '<LoadOptions as JSON>'
 */
import { fireDeliveries, type LoadOptions } from './webhook-load.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
process.stdout.write(`${JSON.stringify(await fireDeliveries(options))}\n`);
