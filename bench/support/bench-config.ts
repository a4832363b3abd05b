/**
 * Configurations the benchmarks serve: one run configuration of the shipped kfp-run template that
 * the push fixture (a push to master of Codertocat/Hello-World) matches, written as a file into a
 * temporary directory with the sink and state store the benchmark asks for.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const SECRET_ENV = 'RB_BENCH_SECRET';

export const PUSH_RUN_CONFIGURATION = {
  name: 'penguin-training',
  namespace: 'default',
  template: 'kfp-run',
  labels: { 'app.kubernetes.io/part-of': 'bench' },
  parameters: [
    { name: 'provider', value: 'kfp-operator/vertex-ai' },
    { name: 'pipeline', value: 'penguin-pipeline' },
    { name: 'experimentName', value: 'bench' },
    { name: 'commit', valueFrom: { event: 'sha' } },
    { name: 'branch', valueFrom: { event: 'branch' } },
    { name: 'repository', valueFrom: { event: 'repository' } },
    { name: 'training-runs', value: '100' },
  ],
  artifacts: [{ name: 'serving-model', path: 'Pusher:pushed_model:0[pushed == 1]' }],
  triggers: { git: [{ repository: 'Codertocat/Hello-World', events: ['push'], branches: ['main', 'master'] }] },
};

/** The same run for GitLab's documented push (a push to main of acme/shop). */
export const GITLAB_PUSH_RUN_CONFIGURATION = {
  ...PUSH_RUN_CONFIGURATION,
  name: 'penguin-training-gitlab',
  triggers: { git: [{ repository: 'acme/shop', forges: ['gitlab'], events: ['push'], branches: ['main'] }] },
};

/**
 * The push run configuration on another repository: the push fixture matches no run
 * configuration, so a delivery is verified, parsed, stored, matched and finished without a run.
 */
export const OTHER_REPOSITORY_RUN_CONFIGURATION = {
  ...PUSH_RUN_CONFIGURATION,
  name: 'other-repository',
  triggers: { git: [{ repository: 'acme/other', events: ['push'], branches: ['main'] }] },
};

/** Writes `<dir>/runbridge.yaml` and returns its path; `server` adds to its server section. */
export async function writeBenchConfig(dir: string, sink: object, runConfigurations: readonly object[] = [PUSH_RUN_CONFIGURATION], server: object = {}): Promise<string> {
  const config = {
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    // The load generator is one loopback address standing for many forges' senders: its share of
    // the requests not yet authenticated is raised to the listener's whole cap; and it keeps
    // sending on a connection the server asked to close (Node then answers 503), so the bench's
    // connections are not limited in requests (server.limits).
    server: {
      host: '127.0.0.1',
      shutdownGraceSeconds: 5,
      limits: { maxUnauthenticatedRequestsPerClient: 64, maxUnauthenticatedBytesPerClient: 16 * 2 ** 20, maxRequestsPerSocket: 0 },
      ...server,
    },
    log: { level: 'info' },
    github: { secrets: [{ fromEnv: SECRET_ENV }] },
    gitlab: { secrets: [{ fromEnv: SECRET_ENV }] },
    sink,
    state: { type: 'file', directory: 'state' },
    runConfigurations,
  };
  const file = join(dir, 'runbridge.yaml');
  await writeFile(file, stringify(config));
  return file;
}
