/**
 * The configuration every replica of a test runs: the quickstart's first run configuration, GitHub
 * deliveries signed with the secret in RB_SECRET, the shared JetStream intake and NATS KV state on
 * one nats-server, and one run directory (the file sink: a run's file is created once, whoever
 * writes it). A short ack wait and retry delays, so that a dead replica's messages move on in a
 * test's time.
 *
 *   const configFile = await writeReplicaConfig(dir, { natsUrl: nats.url, bucket: 'replicas' });
 *   const replica = await startServe(configFile, { RB_SECRET: SECRET });
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface ReplicaConfigOptions {
  readonly natsUrl: string;
  /** The NATS KV bucket of the state store. */
  readonly bucket: string;
  readonly answerWithinSeconds?: number;
  readonly shutdownGraceSeconds?: number;
}

/** Writes `runbridge.yaml` into `dir` (runs go to `dir/runs`) and returns its path. */
export async function writeReplicaConfig(dir: string, options: ReplicaConfigOptions): Promise<string> {
  const quickstart = parse(await readFile(new URL('../../examples/quickstart.yaml', import.meta.url), 'utf8')) as Record<string, any>;
  const config = {
    apiVersion: quickstart['apiVersion'],
    kind: quickstart['kind'],
    server: { answerWithinSeconds: options.answerWithinSeconds ?? 3, shutdownGraceSeconds: options.shutdownGraceSeconds ?? 2 },
    github: { secrets: [{ fromEnv: 'RB_SECRET' }] },
    sink: { type: 'file', directory: join(dir, 'runs') },
    state: { type: 'nats', bucket: options.bucket },
    nats: { servers: [options.natsUrl] },
    intake: { type: 'jetstream', ackWaitSeconds: 3, retry: { initialDelaySeconds: 0.2, maxDelaySeconds: 1 } },
    runConfigurations: [quickstart['runConfigurations'][0]],
  };
  const file = join(dir, 'runbridge.yaml');
  await writeFile(file, JSON.stringify(config));
  return file;
}
