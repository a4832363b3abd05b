// Builds the real servers the integration tests run against, once, into a cache outside
// the repository:
//
//   kube-apiserver  test/servers/kube-apiserver (k8s.io/kubernetes with etcd embedded)
//   nats-server     github.com/nats-io/nats-server/v2, via `go install`
//   helm            helm.sh/helm/v3/cmd/helm, via `go install` (the chart tests)
//   bexpr-reference test/servers/bexpr-reference (go-bexpr v0.1.16, the filter parity test)
//   cron-reference  test/servers/cron-reference (robfig/cron v3, the cron parity test)
//   cel-reference   test/servers/cel-reference (cel.dev/cel-go, the CEL parity test)
//   gitea           test/servers/gitea (Gitea's main package, with its options and templates
//                   copied beside the binary; the forge tests)
//
// All come from the Go module proxy and need only `go` on PATH. A binary lives in
// ${XDG_CACHE_HOME:-~/.cache}/runbridge/test-servers/<name>-<version>-<hash>/, where the hash
// covers everything the build depends on, so a change to the wrapper or a version bump
// builds anew and an unchanged one is found at once. Builds go to a temporary directory
// that is renamed into place, so an interrupted build never leaves a half binary.
//
// Run `node scripts/test-servers.ts` to build them ahead of time; it prints their paths.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const NATS_SERVER_MODULE = 'github.com/nats-io/nats-server/v2';
export const NATS_SERVER_VERSION = 'v2.12.15';
export const HELM_MODULE = 'helm.sh/helm/v3';
export const HELM_VERSION = 'v3.22.0';

const repoRoot = resolve(import.meta.dirname, '..');
export const KUBE_APISERVER_SOURCE = join(repoRoot, 'test', 'servers', 'kube-apiserver');
export const GITEA_SOURCE = join(repoRoot, 'test', 'servers', 'gitea');
/** The folders a Gitea built without the bindata tag reads from [server] STATIC_ROOT_PATH. */
export const GITEA_ASSET_DIRS = ['options', 'templates'] as const;

const GO_BUILD_FLAGS = ['-trimpath'];
const GO_BUILD_ENV = { CGO_ENABLED: '0' };

export interface TestServerBinaries {
  kubeApiServer: string;
  natsServer: string;
  helm: string;
  bexprReference: string;
  cronReference: string;
  celReference: string;
  gitea: string;
}

export interface EnsureOptions {
  env?: NodeJS.ProcessEnv;
  /** Where progress goes; stderr by default. */
  log?: (line: string) => void;
}

export class TestServerBuildError extends Error {
  override readonly name = 'TestServerBuildError';
  readonly code = 'TEST_SERVER_BUILD_FAILED';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

export function testServersCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache');
  return join(base, 'runbridge', 'test-servers');
}

/** The k8s.io/kubernetes version the wrapper module requires (read from its go.mod). */
export function kubernetesVersion(): string {
  const gomod = readFileSync(join(KUBE_APISERVER_SOURCE, 'go.mod'), 'utf8');
  const match = /^\s*k8s\.io\/kubernetes\s+(v\S+)/m.exec(gomod);
  if (!match?.[1]) throw new TestServerBuildError(`no k8s.io/kubernetes requirement in ${KUBE_APISERVER_SOURCE}/go.mod`);
  return match[1];
}

/** The Gitea version the wrapper module requires (read from its go.mod). */
export function giteaVersion(): string {
  const gomod = readFileSync(join(GITEA_SOURCE, 'go.mod'), 'utf8');
  const match = /^\s*(?:require\s+)?gitea\.dev\s+(v\S+)/m.exec(gomod);
  if (!match?.[1]) throw new TestServerBuildError(`no gitea.dev requirement in ${GITEA_SOURCE}/go.mod`);
  return match[1];
}

function shortHash(parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 12);
}

/**
 * Stamps the version that /version reports (the Kubernetes build does the same with
 * hack/lib/version.sh); -s -w leaves out the symbol table and DWARF, a third of the size.
 */
function kubeApiServerLdflags(version: string): string {
  const [major = '', minor = ''] = version.replace(/^v/, '').split('.');
  const vars = { gitVersion: version, gitMajor: major, gitMinor: minor, gitTreeState: 'clean' };
  const x = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) =>
    Object.entries(vars).map(([name, value]) => `-X ${pkg}.${name}=${value}`),
  );
  return ['-s', '-w', ...x].join(' ');
}

export function kubeApiServerPath(env: NodeJS.ProcessEnv = process.env): string {
  const files = ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(join(KUBE_APISERVER_SOURCE, f)));
  const hash = shortHash([...files, GO_BUILD_FLAGS.join(' '), kubeApiServerLdflags(kubernetesVersion()), JSON.stringify(GO_BUILD_ENV)]);
  return join(testServersCacheDir(env), `kube-apiserver-${kubernetesVersion()}-${hash}`, 'kube-apiserver');
}

/** Stamps the version Gitea reports (its Makefile does the same); -s -w as for kube-apiserver. */
function giteaLdflags(version: string): string {
  return ['-s', '-w', `-X main.Version=${version.replace(/^v/, '')}`].join(' ');
}

/** The Gitea binary; its options/ and templates/ folders are beside it (its STATIC_ROOT_PATH). */
export function giteaPath(env: NodeJS.ProcessEnv = process.env): string {
  const files = ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(join(GITEA_SOURCE, f)));
  const hash = shortHash([...files, GO_BUILD_FLAGS.join(' '), giteaLdflags(giteaVersion()), JSON.stringify(GO_BUILD_ENV), GITEA_ASSET_DIRS.join(' ')]);
  return join(testServersCacheDir(env), `gitea-${giteaVersion()}-${hash}`, 'gitea');
}

export function natsServerPath(env: NodeJS.ProcessEnv = process.env): string {
  const hash = shortHash([`${NATS_SERVER_MODULE}@${NATS_SERVER_VERSION}`, GO_BUILD_FLAGS.join(' '), JSON.stringify(GO_BUILD_ENV)]);
  return join(testServersCacheDir(env), `nats-server-${NATS_SERVER_VERSION}-${hash}`, 'nats-server');
}

export function helmPath(env: NodeJS.ProcessEnv = process.env): string {
  const hash = shortHash([`${HELM_MODULE}/cmd/helm@${HELM_VERSION}`, GO_BUILD_FLAGS.join(' '), JSON.stringify(GO_BUILD_ENV)]);
  return join(testServersCacheDir(env), `helm-${HELM_VERSION}-${hash}`, 'helm');
}

export async function ensureTestServers(options: EnsureOptions = {}): Promise<TestServerBinaries> {
  // One after the other: each build alone already keeps a small machine busy.
  const kubeApiServer = await ensureKubeApiServer(options);
  const natsServer = await ensureNatsServer(options);
  const helm = await ensureHelm(options);
  const bexprReference = await ensureReference('bexpr-reference', options);
  const cronReference = await ensureReference('cron-reference', options);
  const celReference = await ensureReference('cel-reference', options);
  const gitea = await ensureGitea(options);
  return { kubeApiServer, natsServer, helm, bexprReference, cronReference, celReference, gitea };
}

/** A small reference program under test/servers/<name>/ (go.mod, go.sum, main.go). */
export function referencePath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const source = join(repoRoot, 'test', 'servers', name);
  const files = ['go.mod', 'go.sum', 'main.go'].map((f) => readFileSync(join(source, f)));
  const hash = shortHash([...files, GO_BUILD_FLAGS.join(' '), JSON.stringify(GO_BUILD_ENV)]);
  return join(testServersCacheDir(env), `${name}-${hash}`, name);
}

export async function ensureReference(name: string, options: EnsureOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  return ensureBinary({
    name,
    version: 'local',
    binary: referencePath(name, env),
    what: `${name} (first run only, seconds)`,
    tests: 'the reference parity tests',
    args: (outDir) => ['build', ...GO_BUILD_FLAGS, '-o', join(outDir, name), '.'],
    cwd: join(repoRoot, 'test', 'servers', name),
    env,
    log: options.log ?? logToStderr,
  });
}

export async function ensureKubeApiServer(options: EnsureOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const version = kubernetesVersion();
  return ensureBinary({
    name: 'kube-apiserver',
    version,
    binary: kubeApiServerPath(env),
    what: `kube-apiserver ${version} (first run only, several minutes)`,
    tests: 'the Kubernetes integration tests',
    args: (outDir) => ['build', ...GO_BUILD_FLAGS, `-ldflags=${kubeApiServerLdflags(version)}`, '-o', join(outDir, 'kube-apiserver'), '.'],
    cwd: KUBE_APISERVER_SOURCE,
    env,
    log: options.log ?? logToStderr,
  });
}

export async function ensureNatsServer(options: EnsureOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  return ensureBinary({
    name: 'nats-server',
    version: NATS_SERVER_VERSION,
    binary: natsServerPath(env),
    what: `nats-server ${NATS_SERVER_VERSION} (first run only, a minute or two)`,
    tests: 'the NATS integration tests',
    args: () => ['install', ...GO_BUILD_FLAGS, `${NATS_SERVER_MODULE}@${NATS_SERVER_VERSION}`],
    gobin: true,
    cwd: testServersCacheDir(env),
    env,
    log: options.log ?? logToStderr,
  });
}

export async function ensureHelm(options: EnsureOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  return ensureBinary({
    name: 'helm',
    version: HELM_VERSION,
    binary: helmPath(env),
    what: `helm ${HELM_VERSION} (first run only, a few minutes)`,
    tests: 'the Helm chart tests',
    args: () => ['install', ...GO_BUILD_FLAGS, `${HELM_MODULE}/cmd/helm@${HELM_VERSION}`],
    gobin: true,
    cwd: testServersCacheDir(env),
    env,
    log: options.log ?? logToStderr,
  });
}

export async function ensureGitea(options: EnsureOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const version = giteaVersion();
  return ensureBinary({
    name: 'gitea',
    version,
    binary: giteaPath(env),
    what: `gitea ${version} (first run only, several minutes)`,
    tests: 'the Gitea forge tests',
    args: (outDir) => ['build', ...GO_BUILD_FLAGS, `-ldflags=${giteaLdflags(version)}`, '-o', join(outDir, 'gitea'), '.'],
    cwd: GITEA_SOURCE,
    env,
    log: options.log ?? logToStderr,
    // Gitea's locales, README/.gitignore/license templates and HTML templates, from the module
    // the build just used: without them it starts, but cannot auto-initialise a repository.
    afterBuild: async (outDir, goEnv) => {
      const { stdout } = await promisify(execFile)('go', ['list', '-m', '-f', '{{.Dir}}', 'gitea.dev'], { cwd: GITEA_SOURCE, env: goEnv });
      const moduleDir = stdout.trim();
      for (const dir of GITEA_ASSET_DIRS) await cp(join(moduleDir, dir), join(outDir, dir), { recursive: true });
      // The module cache is read-only; the copies need not be.
      await promisify(execFile)('chmod', ['-R', 'u+w', ...GITEA_ASSET_DIRS.map((d) => join(outDir, d))]);
    },
  });
}

function logToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface BinarySpec {
  name: string;
  version: string;
  binary: string;
  what: string;
  tests: string;
  args: (outDir: string) => string[];
  /** `go install` writes to GOBIN instead of -o. */
  gobin?: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Puts what else the binary needs beside it in outDir, after a successful build. */
  afterBuild?: (outDir: string, goEnv: NodeJS.ProcessEnv) => Promise<void>;
}

async function ensureBinary(spec: BinarySpec): Promise<string> {
  if (existsSync(spec.binary)) return spec.binary;
  const finalDir = resolve(spec.binary, '..');
  const cacheDir = resolve(finalDir, '..');
  await mkdir(cacheDir, { recursive: true });
  const release = await lock(join(cacheDir, `${spec.name}.lock`), spec, () => existsSync(spec.binary));
  try {
    if (existsSync(spec.binary)) return spec.binary; // built by another process meanwhile
    // Holding the lock, any temporary directory of this name is an interrupted build's.
    for (const entry of await readdir(cacheDir)) {
      if (entry.startsWith(`.tmp-${spec.name}-`)) await rm(join(cacheDir, entry), { recursive: true, force: true });
    }
    await checkGo(spec);
    spec.log(`building ${spec.what}...`);
    const started = Date.now();
    const tmpDir = await mkdtemp(join(cacheDir, `.tmp-${spec.name}-`));
    try {
      const env: NodeJS.ProcessEnv = { ...spec.env, ...GO_BUILD_ENV };
      if (spec.gobin) env['GOBIN'] = tmpDir;
      await mkdir(spec.cwd, { recursive: true });
      await runGo(spec.args(tmpDir), { cwd: spec.cwd, env }, spec);
      const built = join(tmpDir, spec.name);
      if (!existsSync(built)) throw buildError(spec, `go finished but wrote no ${spec.name} binary`);
      if (spec.afterBuild) {
        try {
          await spec.afterBuild(tmpDir, env);
        } catch (error) {
          throw buildError(spec, `could not put its files beside the binary: ${(error as Error).message}`, error);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      const goVersion = await goVersionOf(spec.env);
      await writeFile(
        join(tmpDir, 'build-info.json'),
        `${JSON.stringify({ name: spec.name, version: spec.version, go: goVersion, buildSeconds: seconds, builtAt: new Date().toISOString() }, null, 2)}\n`,
      );
      await rm(finalDir, { recursive: true, force: true }); // a leftover without a binary
      await rename(tmpDir, finalDir);
      const { size } = await stat(spec.binary);
      spec.log(`built ${spec.name} ${spec.version} in ${seconds.toFixed(0)}s (${(size / 2 ** 20).toFixed(0)} MiB): ${spec.binary}`);
      return spec.binary;
    } finally {
      await rm(tmpDir, { recursive: true, force: true });
    }
  } finally {
    await release();
  }
}

function buildError(spec: BinarySpec, detail: string, cause?: unknown): TestServerBuildError {
  return new TestServerBuildError(
    `could not build ${spec.name} ${spec.version}: ${detail}\n` +
      `${spec.tests[0]!.toUpperCase()}${spec.tests.slice(1)} cannot run without it. Build it by hand with \`node scripts/test-servers.ts\` to see the full output.`,
    cause === undefined ? undefined : { cause },
  );
}

async function goVersionOf(env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await promisify(execFile)('go', ['env', 'GOVERSION'], { env });
  return stdout.trim();
}

async function checkGo(spec: BinarySpec): Promise<void> {
  try {
    await goVersionOf(spec.env);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw buildError(
      spec,
      missing
        ? 'the Go toolchain (`go`) is not on PATH. Install Go >= 1.24 (https://go.dev/doc/install, or `apt-get install golang-go` where recent enough); ' +
            'the Kubernetes build needs Go 1.26, which Go >= 1.21 fetches by itself from the module proxy unless GOTOOLCHAIN=local.'
        : `\`go env GOVERSION\` failed: ${(error as Error).message}`,
      error,
    );
  }
}

async function runGo(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, spec: BinarySpec): Promise<void> {
  const tail: string[] = [];
  const child = spawn('go', args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((done) => {
    child.on('error', (error) => done({ code: null, signal: null, error }));
    child.on('close', (code, signal) => done({ code, signal }));
  });
  if (result.error) throw buildError(spec, `could not run go: ${result.error.message}`, result.error);
  if (result.code !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.code}`;
    throw buildError(spec, `\`go ${args.join(' ')}\` in ${opts.cwd} ${how}:\n${tail.map((l) => `  ${l}`).join('\n')}`);
  }
}

/**
 * A lock file holding the builder's pid, so that test files started in parallel do not
 * build the same binary twice. A lock whose process is gone is taken over.
 */
async function lock(file: string, spec: BinarySpec, done: () => boolean): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    const age = Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? 0);
    // An empty file is a lock being taken right now, unless it is old.
    const stale = Number.isInteger(holder) ? !isAlive(holder) : age > 10_000;
    if (stale) {
      await rm(file, { force: true });
      continue;
    }
    if (done()) return async () => {};
    if (!announced) {
      spec.log(`waiting for process ${holder}, which is building ${spec.name} ${spec.version}...`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (import.meta.main) {
  try {
    const binaries = await ensureTestServers();
    process.stdout.write(`${JSON.stringify(binaries, null, 2)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
