// A real kube-apiserver (with etcd embedded) for integration tests, built once from
// test/servers/kube-apiserver by scripts/test-servers.ts.
//
//   const kube = await startKubeApiServer({ crdFiles: ['test/crds/tekton.customruns.tekton.dev.yaml'] });
//   const kc = new KubeConfig(); kc.loadFromFile(kube.kubeconfigPath);
//   ...
//   await kube.stop();
//
// Authentication is by x509 client certificate and authorization by RBAC: the admin
// kubeconfig is in group system:masters, and createUserKubeconfig() issues one for any
// other user, who can do nothing until a test grants it a Role.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureKubeApiServer } from '../../scripts/test-servers.ts';
import { freePort } from './free-port.ts';
import { CRD_PATH, installCrds, type InstalledCrd } from './install-crds.ts';
import { kubeRequest } from './kube-request.ts';
import { serverProcess, type ServerProcess } from './server-process.ts';

export { kubeRequest } from './kube-request.ts';
export type { InstalledCrd } from './install-crds.ts';

export interface StartKubeApiServerOptions {
  /** CRD manifests (multi-document YAML) to install and wait for. */
  crdFiles?: string[];
  /** The binary to run; built and cached by scripts/test-servers.ts by default. */
  binary?: string;
  /** How long to wait until ready (/readyz, then every custom resource served); 120 s by default. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags, e.g. ['--v=4']. */
  extraArgs?: string[];
  /** Copy the server's log to this process's stderr (also on with RUNBRIDGE_TEST_SERVER_LOGS=1). */
  logs?: boolean;
}

/** A running server: its addresses, and the controls of ServerProcess (shutdown keeps its data, start brings it back on the same port). */
export interface KubeApiServer extends ServerProcess {
  /** https://127.0.0.1:PORT */
  readonly server: string;
  readonly port: number;
  /** Kubeconfig of an admin (group system:masters); certificates inline. */
  readonly kubeconfigPath: string;
  /** Everything the server keeps: certificates, ports, etcd data. Removed by stop(). */
  readonly dataDir: string;
  /** A KubeConfig loaded from kubeconfigPath. */
  kubeConfig(): KubeConfig;
  /** Install CRD manifests and wait until each is Established. */
  installCrds(files: string[]): Promise<InstalledCrd[]>;
  /**
   * Write a kubeconfig for a user authenticated by a client certificate signed by the
   * server's CA. The user has no permissions beyond what RBAC gives every authenticated
   * user (discovery, self reviews) until a test binds a role to it or to one of its groups.
   */
  createUserKubeconfig(name: string, groups?: string[]): Promise<string>;
}

export async function startKubeApiServer(opts: StartKubeApiServerOptions = {}): Promise<KubeApiServer> {
  const binary = opts.binary ?? (await ensureKubeApiServer());
  const dataDir = await mkdtemp(join(tmpdir(), 'runbridge-kube-apiserver-'));
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const pkiDir = join(dataDir, 'pki');
  const kubeconfigPath = join(pkiDir, 'admin.kubeconfig');

  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc;
  };

  /**
   * Ready: /readyz says ok, and a list of every served version of every installed CRD answers 200
   * (only the storage version of a CRD converted by a webhook, such as Tekton's PipelineRun: no
   * webhook runs here, so listing existing objects at another version fails with 500).
   * After a restart /readyz says ok before the custom resources are served again: until the watch
   * cache of a resource is rebuilt, its lists answer 429 "storage is (re)initializing", and a
   * test's own reads after start() must see the server as its clients will.
   */
  const probe = async (): Promise<true | string> => {
    let kc: KubeConfig;
    try {
      kc = kubeConfig();
    } catch {
      return 'certificates not written yet';
    }
    const readyz = await kubeRequest(kc, 'GET', '/readyz');
    if (readyz.status !== 200 || readyz.body.trim() !== 'ok') {
      return `/readyz: HTTP ${readyz.status}: ${readyz.body.trim().split('\n').filter((l) => l.includes('fail')).join('; ') || readyz.body.trim()}`;
    }
    const crds = await kubeRequest(kc, 'GET', CRD_PATH);
    if (crds.status !== 200) return `listing CRDs: HTTP ${crds.status}`;
    type Crd = { spec: { group: string; names: { plural: string }; conversion?: { strategy?: string }; versions: { name: string; served: boolean; storage: boolean }[] } };
    const items = (JSON.parse(crds.body) as { items: Crd[] }).items;
    for (const { spec } of items) {
      const webhook = spec.conversion?.strategy === 'Webhook';
      for (const version of spec.versions.filter((v) => v.served && (!webhook || v.storage))) {
        const path = `/apis/${spec.group}/${version.name}/${spec.names.plural}?limit=1`;
        const list = await kubeRequest(kc, 'GET', path);
        if (list.status !== 200) return `${path}: HTTP ${list.status}`;
      }
    }
    return true;
  };

  const controls = serverProcess({
    name: 'kube-apiserver',
    command: binary,
    // --exit-with-stdin: the server stops when the test process's end of its stdin closes.
    args: ['serve', '--data-dir', dataDir, '--secure-port', String(port), '--exit-with-stdin', '--', ...(opts.extraArgs ?? [])],
    logLines: 400,
    forwardLogs: opts.logs ?? process.env['RUNBRIDGE_TEST_SERVER_LOGS'] === '1',
    readyAt: `${server}/readyz`,
    readyTimeoutMs: opts.readyTimeoutMs ?? 120_000,
    pollMs: 250,
    probe,
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  });

  try {
    await controls.start();
  } catch (error) {
    await controls.stop();
    throw error;
  }

  const api: KubeApiServer = {
    server,
    port,
    kubeconfigPath,
    dataDir,
    kubeConfig,
    installCrds: (files) => installCrds(kubeConfig(), files),
    createUserKubeconfig: async (name, groups = []) => {
      const usersDir = join(dataDir, 'users');
      await mkdir(usersDir, { recursive: true });
      const out = join(usersDir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.kubeconfig`);
      const args = ['kubeconfig', '--pki-dir', pkiDir, '--server', server, '--user', name, '--out', out];
      for (const group of groups) args.push('--group', group);
      await promisify(execFile)(binary, args);
      return out;
    },
    ...controls,
  };

  if (opts.crdFiles?.length) {
    try {
      await api.installCrds(opts.crdFiles);
    } catch (error) {
      await api.stop();
      throw error;
    }
  }
  return api;
}
