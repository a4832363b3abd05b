/** The webhook servers the benchmarks compare, each started in its own process on loopback. */
import { spawnNode, waitForHttp, type Child } from './child-process.ts';
import { freePort } from '../../test/support/free-port.ts';
import { SECRET_ENV } from './bench-config.ts';
import { BENCH_SECRET } from './webhook-load.ts';

export interface RunningServer {
  readonly url: string;
  readonly child: Child;
}

/** `runbridge serve --config FILE --port N`, the real CLI; ready once /readyz answers 200. */
export async function startRunbridge(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  const port = await freePort();
  const child = spawnNode(['src/cli.ts', 'serve', '--config', configFile, '--port', String(port), '--internal-port', '0'], {
    env: { [SECRET_ENV]: BENCH_SECRET, ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/readyz`, child, 60_000);
  return { url, child };
}

/** The bare Express 5 + signature verification baseline. */
export async function startBareServer(): Promise<RunningServer> {
  const port = await freePort();
  const child = spawnNode(['bench/servers/bare-webhook-server.ts', String(port)], { env: { BENCH_SECRET } });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  return { url, child };
}

/**
 * The intake floor: the baseline plus JSON parsing and one group-committed append per delivery;
 * with `withRun`, the run floor: also one run file created durably per delivery before the answer.
 */
export async function startIntakeFloorServer(directory: string, withRun = false): Promise<RunningServer> {
  const port = await freePort();
  const child = spawnNode(['bench/servers/intake-floor-server.ts', String(port), directory, ...(withRun ? ['run'] : [])], { env: { BENCH_SECRET } });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  return { url, child };
}
