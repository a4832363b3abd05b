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
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ensureKubeApiServer } from '../../scripts/test-servers.ts';
import { freePort } from './free-port.ts';

export interface StartKubeApiServerOptions {
  /** CRD manifests (multi-document YAML) to install and wait for. */
  crdFiles?: string[];
  /** The binary to run; built and cached by scripts/test-servers.ts by default. */
  binary?: string;
  /** How long to wait for /readyz; 120 s by default. */
  readyTimeoutMs?: number;
  /** Extra kube-apiserver flags, e.g. ['--v=4']. */
  extraArgs?: string[];
  /** Copy the server's log to this process's stderr (also on with RUNBRIDGE_TEST_SERVER_LOGS=1). */
  logs?: boolean;
}

export interface KubeApiServer {
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
  /** Stop the process (SIGTERM, then SIGKILL) and keep the data: start() brings it back. */
  shutdown(): Promise<void>;
  /** Start again after shutdown(): same port, certificates and data; waits until ready. */
  start(): Promise<void>;
  /** shutdown() then start(). */
  restart(): Promise<void>;
  /** Freeze the process (SIGSTOP): connections are accepted by the kernel but never answered. */
  pause(): void;
  /** Undo pause() (SIGCONT). */
  resume(): void;
  /** Stop the process and remove all its files. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines the server logged. */
  logTail(lines?: number): string;
}

const LOG_LINES_KEPT = 400;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Stop every server still running when this process exits (a test that forgot stop()). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}


export async function startKubeApiServer(opts: StartKubeApiServerOptions = {}): Promise<KubeApiServer> {
  const binary = opts.binary ?? (await ensureKubeApiServer());
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;
  const forwardLogs = opts.logs ?? process.env['RUNBRIDGE_TEST_SERVER_LOGS'] === '1';
  const dataDir = await mkdtemp(join(tmpdir(), 'runbridge-kube-apiserver-'));
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const pkiDir = join(dataDir, 'pki');
  const kubeconfigPath = join(pkiDir, 'admin.kubeconfig');
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let stopped = false;
  installExitHook();

  const logTail = (lines = 40): string => log.slice(-lines).join('\n');

  const spawnServer = (): ChildProcess => {
    const args = ['serve', '--data-dir', dataDir, '--secure-port', String(port), '--exit-with-stdin', '--', ...(opts.extraArgs ?? [])];
    // Its own process group, so stop() can signal everything it started.
    const proc = spawn(binary, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(proc);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      if (forwardLogs) process.stderr.write(text);
      for (const line of text.split('\n')) {
        if (line === '') continue;
        log.push(line);
        if (log.length > LOG_LINES_KEPT) log.shift();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.on('exit', () => running.delete(proc));
    // A test that forgets stop() must not hang: the exit hook (and the closed stdin
    // pipe, with --exit-with-stdin) take the server down with this process.
    proc.unref();
    for (const stream of [proc.stdin, proc.stdout, proc.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    proc.on('error', (error) => log.push(`spawn error: ${error.message}`));
    return proc;
  };

  const waitReady = async (proc: ChildProcess): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        throw new Error(
          `kube-apiserver (${binary}) exited with ${proc.exitCode ?? proc.signalCode} before it was ready.\nLast lines of its log:\n${logTail()}`,
        );
      }
      try {
        const { status, body } = await get(kubeconfigCredentials, server, '/readyz');
        if (status === 200 && body.trim() === 'ok') return;
        last = `HTTP ${status}: ${body.trim().split('\n').filter((l) => l.includes('fail')).join('; ') || body.trim()}`;
      } catch (error) {
        last = (error as Error).message;
        if (/ENOENT/.test(last)) last = 'certificates not written yet';
      }
      await sleep(250);
    }
    throw new Error(
      `kube-apiserver did not become ready at ${server}/readyz within ${readyTimeoutMs / 1000}s (last: ${last}).\nLast lines of its log:\n${logTail()}`,
    );
  };

  /**
   * After a restart /readyz says ok before the custom resources are served again: until the watch
   * cache of a resource is rebuilt, its lists answer 429 "storage is (re)initializing". Wait until a
   * list of every served version of every installed CRD answers 200, so that a test's own reads
   * after start() see the server as its clients will.
   */
  const waitCustomResourcesServed = async (): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    const crds = await get(kubeconfigCredentials, server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    if (crds.status !== 200) throw new Error(`kube-apiserver: listing CRDs after start answered HTTP ${crds.status}: ${crds.body}`);
    const items = (JSON.parse(crds.body) as { items: { spec: { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] } }[] }).items;
    const paths = items.flatMap(({ spec }) => spec.versions.filter((v) => v.served).map((v) => `/apis/${spec.group}/${v.name}/${spec.names.plural}?limit=1`));
    for (const path of paths) {
      for (;;) {
        const { status, body } = await get(kubeconfigCredentials, server, path);
        if (status === 200) break;
        if ((status !== 429 && status < 500) || Date.now() > deadline) throw new Error(`kube-apiserver: ${path} after start answered HTTP ${status}: ${body}`);
        await sleep(100);
      }
    }
  };

  // Loaded lazily: the files exist only once the binary has started.
  let credentials: TlsCredentials | undefined;
  const kubeconfigCredentials = async (): Promise<TlsCredentials> => {
    credentials ??= await readCredentials(pkiDir);
    return credentials;
  };

  const shutdown = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    await terminate(proc);
  };

  const start = async (): Promise<void> => {
    if (stopped) throw new Error('kube-apiserver was stopped for good; start a new one');
    if (child) return;
    child = spawnServer();
    try {
      await waitReady(child);
      await waitCustomResourcesServed();
    } catch (error) {
      await shutdown();
      throw error;
    }
  };

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await shutdown();
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    await start();
  } catch (error) {
    await stop();
    throw error;
  }

  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    return kc;
  };

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
    shutdown,
    start,
    restart: async () => {
      await shutdown();
      await start();
    },
    pause: () => {
      if (child) killGroup(child, 'SIGSTOP');
    },
    resume: () => {
      if (child) killGroup(child, 'SIGCONT');
    },
    stop,
    logTail,
  };

  if (opts.crdFiles?.length) {
    try {
      await api.installCrds(opts.crdFiles);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return api;
}

/** SIGTERM the process group, SIGKILL after 10 s, and wait for the exit. */
async function terminate(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((done) => proc.once('exit', () => done()));
  killGroup(proc, 'SIGCONT'); // in case it was paused
  killGroup(proc, 'SIGTERM');
  const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  proc.stdin?.destroy();
}

// ---- CRDs ----

/** What installCrds reports for each CRD, once Established. */
export interface InstalledCrd {
  name: string;
  group: string;
  kind: string;
  plural: string;
  /** Served versions, storage version first. */
  versions: string[];
}

/**
 * Install CRD manifests with server-side apply (so installing twice is fine) and wait
 * until each is Established.
 *
 * The manifests go to the server as they are, in raw requests: client-node's typed
 * ApiextensionsV1Api serializes through its generated models, which silently drop the
 * `x-kubernetes-*` keys of a schema read from YAML, so the server would see a different
 * (and for Tekton's CustomRun, invalid) schema.
 */
export async function installCrds(kc: KubeConfig, files: string[]): Promise<InstalledCrd[]> {
  const names: string[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(await readFile(file, 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const body = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!body) continue;
      if (body.kind !== 'CustomResourceDefinition') {
        throw new Error(`${file}: expected only CustomResourceDefinitions, found kind ${String(body.kind)}`);
      }
      const name = String(body.metadata?.name ?? '');
      const res = await kubeRequest(kc, 'PATCH', `${CRD_PATH}/${encodeURIComponent(name)}?fieldManager=runbridge-tests&force=true`, body, 'application/apply-patch+yaml');
      if (res.status >= 300) throw new Error(`installing CRD ${name} from ${file} failed: HTTP ${res.status}: ${statusMessage(res.body)}`);
      names.push(name);
    }
  }
  const installed: InstalledCrd[] = [];
  for (const name of names) installed.push(await waitEstablished(kc, name));
  return installed;
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CrdJson {
  spec: { group: string; names: { kind: string; plural: string }; versions: Array<{ name: string; served: boolean; storage: boolean }> };
  status?: { conditions?: Array<{ type: string; status: string; message?: string }> };
}

async function waitEstablished(kc: KubeConfig, name: string, timeoutMs = 30_000): Promise<InstalledCrd> {
  const deadline = Date.now() + timeoutMs;
  let conditions = '';
  while (Date.now() < deadline) {
    const res = await kubeRequest(kc, 'GET', `${CRD_PATH}/${encodeURIComponent(name)}`);
    if (res.status !== 200) throw new Error(`reading CRD ${name}: HTTP ${res.status}: ${statusMessage(res.body)}`);
    const crd = JSON.parse(res.body) as CrdJson;
    const found = crd.status?.conditions ?? [];
    conditions = found.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ');
    if (found.some((c) => c.type === 'NamesAccepted' && c.status === 'False')) {
      throw new Error(`CRD ${name} was not accepted: ${conditions}`);
    }
    if (found.some((c) => c.type === 'Established' && c.status === 'True')) {
      const versions = crd.spec.versions.filter((v) => v.served).sort((a, b) => Number(b.storage) - Number(a.storage));
      return { name, group: crd.spec.group, kind: crd.spec.names.kind, plural: crd.spec.names.plural, versions: versions.map((v) => v.name) };
    }
    await sleep(100);
  }
  throw new Error(`CRD ${name} was not Established within ${timeoutMs / 1000}s (conditions: ${conditions || 'none'})`);
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    if (typeof status.message === 'string') return status.message;
  } catch {
    // not JSON
  }
  return body.slice(0, 2000);
}

/** A raw request with the credentials of the KubeConfig's current context. */
export async function kubeRequest(
  kc: KubeConfig,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: string }> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const options: RequestOptions = { method, headers: { accept: 'application/json' }, timeout: 30_000 };
  await kc.applyToHTTPSOptions(options);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (payload !== undefined) options.headers = { ...options.headers, 'content-type': contentType };
  return new Promise((done, fail) => {
    const req = request(new URL(path, cluster.server), options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', fail);
    req.end(payload);
  });
}

// ---- plain HTTPS with the admin client certificate ----

interface TlsCredentials {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

async function readCredentials(pkiDir: string): Promise<TlsCredentials> {
  const [ca, cert, key] = await Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((f) => readFile(join(pkiDir, f))));
  return { ca: ca!, cert: cert!, key: key! };
}

async function get(credentials: () => Promise<TlsCredentials>, server: string, path: string): Promise<{ status: number; body: string }> {
  const tls = await credentials();
  return new Promise((done, fail) => {
    const req = request(new URL(path, server), { ...tls, method: 'GET', timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', fail);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
