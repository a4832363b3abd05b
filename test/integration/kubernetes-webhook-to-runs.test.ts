/**
 * The whole pipeline against a real cluster API: a signed GitHub push over a real socket → the real
 * daemon with `sink: {type: kubernetes}` → a real kube-apiserver (etcd embedded, x509, RBAC) with
 * the CRDs of every run kind installed. The upstream CRDs of ../shared/crds are used when that
 * folder exists (test names say which set), else the copies in test/crds.
 *
 * The API server writes an audit log of every create request (Metadata level): it is the server's
 * own count of what the sink sent, so "one request, no retry storm" is measured where it lands.
 *
 * One API server for the whole file (it is the slow part). The file is long because every case
 * shares that server; each describe is one concern. Outages of the API server (stopped, hung) and of
 * runbridge itself are test/intake/*.integration.test.ts.
 */
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { Webhooks } from '@octokit/webhooks';
import { parse, parseAllDocuments } from 'yaml';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { defaultRunName, findSubmission } from '../../src/dispatch/submission-record.ts';
import { createLogger } from '../../src/observability/create-logger.ts';
import { createFileStore } from '../../src/state/file-store.ts';
import { kubeRequest, startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';

const SECRET = 'kubernetes-integration-secret';
const ENV = { RB_SECRET: SECRET };
const REPO = join(import.meta.dirname, '..', '..');
const PUSH = join(REPO, 'test', 'fixtures', 'github', 'push.json');
const fixture = await readFile(PUSH, 'utf8');
const HEAD = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const EVENT_ID = 'runbridge.dev/event-id';

// TensorStack publishes no CRD: ours (test/crds) is installed with either set.
// The upstream CRDs, when the repository sits beside the project's shared/ folder (../shared/crds).
const SHARED_CRDS = process.env['RUNBRIDGE_UPSTREAM_CRDS'] ?? fileURLToPath(new URL('../../../shared/crds', import.meta.url));
const LOCAL_CRDS = join(REPO, 'test', 'crds');
const fromShared = existsSync(SHARED_CRDS);
const yamlIn = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
const CRD_FILES = fromShared ? [...yamlIn(SHARED_CRDS), join(LOCAL_CRDS, 'tensorstack.workflowruns.batch.tensorstack.dev.yaml')] : yamlIn(LOCAL_CRDS);
const CRD_SOURCE = fromShared ? `upstream CRDs from ${SHARED_CRDS} + test/crds TensorStack` : 'CRD copies in test/crds';

/** The seven kinds of the quickstart (one per shipped template), with the resource each is served as. */
const KINDS = [
  { template: 'kfp-run', apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', plural: 'runs' },
  { template: 'tekton-customrun', apiVersion: 'tekton.dev/v1beta1', kind: 'CustomRun', plural: 'customruns' },
  { template: 'tekton-run', apiVersion: 'tekton.dev/v1alpha1', kind: 'Run', plural: 'runs' },
  { template: 'openchoreo-workflowrun', apiVersion: 'openchoreo.dev/v1alpha1', kind: 'WorkflowRun', plural: 'workflowruns' },
  { template: 'tensorstack-workflowrun', apiVersion: 'batch.tensorstack.dev/v1beta1', kind: 'WorkflowRun', plural: 'workflowruns' },
  { template: 'tekton-pipelinerun', apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', plural: 'pipelineruns' },
  { template: 'argo-workflow', apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', plural: 'workflows' },
] as const;
const pluralOf = (apiVersion: string, kind: string): string => KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind)!.plural;

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    verbs: [create]
  - level: None
`;

interface AnswerRun {
  runConfiguration: string;
  run?: { apiVersion: string; kind: string; namespace: string; name: string; created: boolean; dryRun: boolean };
  error?: { code: string; status: number; message: string; retryable: boolean };
}
interface Answer {
  status: number;
  body: { eventId?: string; runs: AnswerRun[]; duplicate?: boolean; error?: { message: string } };
}
interface AuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number };
}
type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace: string; uid: string; labels: Record<string, string>; annotations: Record<string, string> }; spec: Record<string, any> };

let kube: KubeApiServer;
let scratch: string;
let auditLog: string;
let quickstart: Record<string, any>;
const daemons = new Set<Daemon>();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function deliver(url: string, deliveryId: string, body = fixture): Promise<Answer> {
  const signature = await new Webhooks({ secret: SECRET }).sign(body);
  const response = await fetch(`${url}/webhooks/github`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': deliveryId, 'x-hub-signature-256': signature },
    body,
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** An admin request to the test API server; the parsed body. */
async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await kubeRequest(kube.kubeConfig(), method, path, body);
  return { status: res.status, body: res.body === '' ? undefined : JSON.parse(res.body) };
}

async function getRun(run: { apiVersion: string; kind: string; namespace: string; name: string }): Promise<KubeObject> {
  const res = await admin('GET', `/apis/${run.apiVersion}/namespaces/${run.namespace}/${pluralOf(run.apiVersion, run.kind)}/${run.name}`);
  assert.equal(res.status, 200, `GET ${run.kind} ${run.namespace}/${run.name}: ${JSON.stringify(res.body)}`);
  return res.body as KubeObject;
}

/** Every object of the seven kinds, in any namespace, labelled with this event id; by `apiVersion kind`. */
async function runsOfEvent(eventId: string): Promise<Record<string, KubeObject[]>> {
  const byKind: Record<string, KubeObject[]> = {};
  for (const k of KINDS) {
    const res = await admin('GET', `/apis/${k.apiVersion}/${k.plural}?labelSelector=${encodeURIComponent(`${EVENT_ID}=${eventId}`)}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    byKind[`${k.apiVersion} ${k.kind}`] = res.body.items as KubeObject[];
  }
  return byKind;
}

function assertOneRunPerKind(byKind: Record<string, KubeObject[]>, label: string): void {
  for (const [kind, items] of Object.entries(byKind)) assert.equal(items.length, 1, `${label}: ${kind}: ${items.map((o) => o.metadata.name).join(', ') || 'none'}`);
}

/** Create requests the API server logged (ResponseComplete), with the filter applied. */
async function auditedCreates(filter: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
  const text = await readFile(auditLog, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter((e) => e.stage === 'ResponseComplete' && e.verb === 'create' && filter(e));
}

/** The audit entry is written after the answer: wait until `expected` are there, then a little more. */
async function settledCreates(filter: (e: AuditEvent) => boolean, expected: number): Promise<AuditEvent[]> {
  const deadline = Date.now() + 10_000;
  while ((await auditedCreates(filter)).length < expected && Date.now() < deadline) await sleep(100);
  await sleep(500);
  return auditedCreates(filter);
}

/** Writes a configuration (the quickstart unless given) with a kubernetes sink into its own directory and starts a daemon on it. */
async function startWith(
  name: string,
  options: { kubeconfig?: string; maxAttempts?: number; logger?: Logger; edit?: (config: Record<string, any>) => void; dir?: string } = {},
): Promise<{ daemon: Daemon; dir: string; configPath: string }> {
  const dir = options.dir ?? join(scratch, name);
  const configPath = join(dir, 'runbridge.yaml');
  if (!options.dir) {
    await mkdir(dir, { recursive: true });
    const config = structuredClone(quickstart);
    config['github'] = { secrets: [{ fromEnv: 'RB_SECRET' }] };
    config['sink'] = { type: 'kubernetes', kubeconfig: options.kubeconfig ?? kube.kubeconfigPath, maxAttempts: options.maxAttempts ?? 4 };
    config['state'] = { type: 'file', directory: 'state' };
    options.edit?.(config);
    await writeFile(configPath, JSON.stringify(config, null, 2));
  }
  const loaded = await loadConfig(configPath, { env: ENV });
  const daemon = await startDaemon(loaded, { logger: options.logger ?? pino({ level: 'silent' }), env: ENV, port: 0, internalPort: 0 });
  daemons.add(daemon);
  return { daemon, dir, configPath };
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  daemons.delete(daemon);
  await daemon.shutdown();
}

/** The real CLI in a child process. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'src', 'cli.ts'), ...args], { cwd: REPO, env: { ...process.env, ...ENV } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const manifestsOf = (stdout: string): KubeObject[] => parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject).filter((d) => d !== null);

/** A run configuration of the KFP template whose provider breaks the CRD's pattern. */
const badProvider = (config: Record<string, any>): void => {
  config['runConfigurations'] = [
    {
      name: 'bad-provider',
      namespace: 'ml',
      template: 'kfp-run',
      parameters: [
        { name: 'provider', value: 'Not Valid' },
        { name: 'pipeline', value: 'penguin-pipeline' },
        { name: 'commit', valueFrom: { event: 'sha' } },
      ],
      triggers: { git: [{ repository: '*/*', branches: ['main', 'master'] }] },
    },
  ];
};

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-kube-e2e-'));
  auditLog = join(scratch, 'audit.log');
  await writeFile(join(scratch, 'audit-policy.yaml'), AUDIT_POLICY);
  kube = await startKubeApiServer({ extraArgs: [`--audit-policy-file=${join(scratch, 'audit-policy.yaml')}`, `--audit-log-path=${auditLog}`] });
  await kube.installCrds(CRD_FILES);
  for (const ns of ['ml', 'ci']) {
    const res = await admin('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  quickstart = parse(await readFile(join(REPO, 'examples', 'quickstart.yaml'), 'utf8')) as Record<string, any>;
});

after(async () => {
  for (const daemon of daemons) await daemon.shutdown();
  await kube?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe(`signed push → daemon → kube-apiserver with the ${CRD_SOURCE}`, () => {
  let main: { daemon: Daemon; dir: string; configPath: string };
  before(async () => {
    main = await startWith('main');
  });

  test(`every shipped template is created from a real push and reads back with provenance and its spec intact (${CRD_SOURCE})`, async (t) => {
    t.diagnostic(`CRDs installed: ${CRD_FILES.join(', ')}`);
    const id = randomUUID();
    const answer = await deliver(main.daemon.url, id);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.runs.length, KINDS.length);

    // What was submitted, rendered offline by the CLI for the same delivery id (same names).
    const rendered = await cli(['render', '--config', main.configPath, '--event', PUSH, '--github-event', 'push', '--delivery', id]);
    assert.equal(rendered.code, 0, rendered.stderr);
    const submitted = new Map(manifestsOf(rendered.stdout).map((m) => [m.metadata.name, m]));

    const kinds: string[] = [];
    for (const { runConfiguration, run } of answer.body.runs) {
      assert.ok(run, runConfiguration);
      assert.equal(run.created, true);
      const stored = await getRun(run);
      const manifest = submitted.get(run.name);
      assert.ok(manifest, `${run.name} is not in the offline render`);
      kinds.push(`${stored.apiVersion} ${stored.kind}`);
      const [namespace, rcName] = runConfiguration.split('/') as [string, string];
      assert.equal(stored.metadata.namespace, namespace);
      assert.deepEqual(
        [EVENT_ID, 'runbridge.dev/trigger', 'runbridge.dev/source', 'runbridge.dev/run-configuration', 'app.kubernetes.io/managed-by'].map((k) => stored.metadata.labels[k]),
        [id, 'git', 'github', rcName, 'runbridge'],
      );
      assert.deepEqual(
        [EVENT_ID, 'runbridge.dev/run-configuration', 'runbridge.dev/event-type', 'runbridge.dev/source'].map((k) => stored.metadata.annotations[k]),
        [id, runConfiguration, 'github.push', 'github'],
      );
      assert.deepEqual(stored.metadata.labels, manifest.metadata.labels, `${run.name}: labels`);
      assert.deepEqual(stored.spec, manifest.spec, `${run.name}: the spec the API server stored is the spec submitted (nothing pruned)`);
    }
    assert.deepEqual(kinds.sort(), KINDS.map((k) => `${k.apiVersion} ${k.kind}`).sort());

    // The fields a pruning schema would drop first, spelled out.
    const byRc = new Map(answer.body.runs.map((r) => [r.runConfiguration, r.run!]));
    const kfp = await getRun(byRc.get('ml/penguin-training')!);
    assert.equal(kfp.spec['provider'], 'kfp-operator/vertex-ai');
    assert.deepEqual(kfp.spec['parameters'], [
      { name: 'commit', value: HEAD },
      { name: 'branch', value: 'master' },
      { name: 'repository', value: 'Codertocat/Hello-World' },
      { name: 'training-runs', value: '100' },
    ]);
    assert.deepEqual(kfp.spec['artifacts'], [{ name: 'serving-model', path: 'Pusher:pushed_model:0[pushed == 1]' }]);
    const choreo = await getRun(byRc.get('default/reading-list-build')!);
    assert.deepEqual(choreo.spec['workflow'], { kind: 'ClusterWorkflow', name: 'docker-build', parameters: { commit: HEAD, branch: 'master', repository: 'Codertocat/Hello-World' } });
    assert.deepEqual([choreo.metadata.labels['openchoreo.dev/component'], choreo.metadata.labels['openchoreo.dev/project']], ['reading-list', 'bookstore']);
    const customRun = await getRun(byRc.get('ci/image-build')!);
    assert.deepEqual(customRun.spec['customRef'], { apiVersion: 'example.dev/v1alpha1', kind: 'ImageBuild', name: 'kaniko' });
    assert.equal(customRun.spec['params'].length, 4);
    const legacy = await getRun(byRc.get('ci/image-build-legacy')!);
    assert.deepEqual(legacy.spec['ref'], { apiVersion: 'example.dev/v1alpha1', kind: 'ImageBuild' });
    const tensorstack = await getRun(byRc.get('ml/model-eval')!);
    assert.equal(tensorstack.spec['workflowTemplateRef'], 'evaluate-model');
    assert.deepEqual(tensorstack.spec['params'].at(-1), { name: 'dataset', value: 'penguins-v2' });
    const pipelineRun = await getRun(byRc.get('ci/app-ci')!);
    assert.deepEqual(pipelineRun.spec['pipelineRef'], { name: 'build-and-push' });
    assert.deepEqual(pipelineRun.spec['params'][0], { name: 'revision', value: HEAD });
    assert.deepEqual(pipelineRun.spec['workspaces'], [
      { name: 'source', volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
    ]);
    assert.deepEqual(pipelineRun.spec['timeouts'], { pipeline: '1h0m0s' });
    const workflow = await getRun(byRc.get('ml/dataset-prep')!);
    assert.deepEqual(workflow.spec['workflowTemplateRef'], { name: 'prepare-dataset' });
    assert.deepEqual(workflow.spec['arguments'], {
      parameters: [
        { name: 'commit', value: HEAD },
        { name: 'branch', value: 'master' },
        { name: 'repository', value: 'Codertocat/Hello-World' },
      ],
    });
  });

  test('the submission record in the state store names the created object: same name and uid', async () => {
    const id = randomUUID();
    const answer = await deliver(main.daemon.url, id);
    assert.equal(answer.status, 200);
    const store = createFileStore({ directory: join(main.dir, 'state') });
    try {
      for (const { runConfiguration, run } of answer.body.runs) {
        const record = await findSubmission(store, id, runConfiguration, defaultRunName(id, runConfiguration));
        assert.ok(record, `no submission record for ${runConfiguration}`);
        const stored = await getRun(run!);
        assert.equal(record.run.name, stored.metadata.name);
        assert.equal(record.run.namespace, stored.metadata.namespace);
        assert.ok(record.run.uid, 'the record carries the uid');
        assert.equal(record.run.uid, stored.metadata.uid);
        assert.equal(record.run.created, true);
        assert.equal(record.run.location, `/apis/${run!.apiVersion}/namespaces/${run!.namespace}/${pluralOf(run!.apiVersion, run!.kind)}/${run!.name}`);
      }
    } finally {
      await store.close();
    }
  });

  test('a redelivery answers with the same runs and creates nothing: one run per run configuration', async () => {
    const id = randomUUID();
    const first = await deliver(main.daemon.url, id);
    const again = await deliver(main.daemon.url, id);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.runs.map((r) => r.run?.name), first.body.runs.map((r) => r.run?.name));
    assert.ok(again.body.runs.every((r) => r.run?.created === false));
    assertOneRunPerKind(await runsOfEvent(id), 'after a redelivery');
  });

  test('two concurrent deliveries of one event: one is processed, the other answered as its duplicate with the same runs; one object per run configuration', async () => {
    const id = randomUUID();
    const answers = await Promise.all([deliver(main.daemon.url, id), deliver(main.daemon.url, id)]);
    assert.deepEqual(answers.map((a) => a.status), [200, 200]);
    // The second waits for the first's attempt (the intake holds the event once) and is told so.
    assert.deepEqual(answers.map((a) => a.body.duplicate).sort(), [false, true]);
    const first = answers.find((a) => !a.body.duplicate)!;
    const second = answers.find((a) => a.body.duplicate)!;
    assert.equal(first.body.runs.filter((r) => r.run?.created).length, KINDS.length);
    assert.equal(second.body.runs.filter((r) => r.run?.created).length, 0, 'the duplicate created nothing and says so');
    assert.deepEqual(answers[0]!.body.runs.map((r) => r.run?.name), answers[1]!.body.runs.map((r) => r.run?.name));
    assertOneRunPerKind(await runsOfEvent(id), 'after concurrent deliveries');
  });

  test('a daemon restart between deliveries: still one run (from the state record, and from the API server when the state is lost)', async () => {
    const id = randomUUID();
    assert.equal((await deliver(main.daemon.url, id)).status, 200);
    await stopDaemon(main.daemon);
    main = { ...main, ...(await startWith('main', { dir: main.dir })) };
    const again = await deliver(main.daemon.url, id);
    assert.equal(again.status, 200);
    assert.ok(again.body.runs.every((r) => r.run?.created === false));

    // A daemon with an empty state store: the deterministic names make the API server answer 409,
    // and the event id on the existing objects makes that a redelivery, not a conflict.
    const amnesiac = await startWith('amnesiac');
    try {
      const third = await deliver(amnesiac.daemon.url, id);
      assert.equal(third.status, 200, JSON.stringify(third.body));
      assert.ok(third.body.runs.every((r) => r.run?.created === false), JSON.stringify(third.body.runs));
    } finally {
      await stopDaemon(amnesiac.daemon);
    }
    assertOneRunPerKind(await runsOfEvent(id), 'after a restart');
  });

  test('a daemon without create permission: 403 with the API server message, one create request per run, no retries', async (t) => {
    const user = 'runbridge-reader';
    const groups = [...new Set(KINDS.map((k) => k.apiVersion.split('/')[0]!))];
    const rbac = '/apis/rbac.authorization.k8s.io/v1';
    for (const [path, body] of [
      [`${rbac}/clusterroles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: user }, rules: [{ apiGroups: groups, resources: ['*'], verbs: ['get', 'list', 'watch'] }] }],
      [
        `${rbac}/clusterrolebindings`,
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: user },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
        },
      ],
    ] as const) {
      const res = await admin('POST', path, body);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    const kubeconfig = await kube.createUserKubeconfig(user);
    // It may read runs (so the refusal is about create, not about being a stranger).
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    assert.equal((await kubeRequest(kc, 'GET', '/apis/pipelines.kubeflow.org/v1beta1/namespaces/ml/runs')).status, 200);

    const reader = await startWith('reader', { kubeconfig, maxAttempts: 6 });
    try {
      const id = randomUUID();
      const answer = await deliver(reader.daemon.url, id);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      for (const { runConfiguration, error } of answer.body.runs) {
        const rc = quickstart['runConfigurations'].find((r: any) => `${r.namespace}/${r.name}` === runConfiguration);
        const kind = KINDS.find((k) => k.template === rc?.template);
        assert.ok(error && kind, runConfiguration);
        assert.equal(error.status, 403);
        assert.equal(error.retryable, false);
        const [group] = kind.apiVersion.split('/');
        assert.ok(
          error.message.includes(`User "${user}" cannot create resource "${kind.plural}" in API group "${group}" in the namespace "${rc.namespace}"`),
          error.message,
        );
      }
      t.diagnostic(answer.body.runs[0]!.error!.message);

      const creates = await settledCreates((e) => e.user.username === user, KINDS.length);
      assert.equal(creates.length, KINDS.length, `one create per run configuration, none retried: ${creates.map((e) => e.requestURI).join(', ')}`);
      assert.ok(creates.every((e) => e.responseStatus?.code === 403));
      assert.equal(new Set(creates.map((e) => `${e.objectRef?.apiGroup}/${e.objectRef?.resource}/${e.objectRef?.namespace}`)).size, KINDS.length);

      const metrics = await (await fetch(`${reader.daemon.internalUrl}/metrics`)).text();
      const failed = [...metrics.matchAll(/^runbridge_runs_submitted_total\{[^}]*outcome="failed"[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      assert.equal(failed, KINDS.length);
      assert.equal((await fetch(`${reader.daemon.url}/readyz`)).status, 200, 'a refusal does not make the daemon unready');
      for (const items of Object.values(await runsOfEvent(id))) assert.equal(items.length, 0);
    } finally {
      await stopDaemon(reader.daemon);
    }
  });

  test('kinds the API server does not serve: 404 naming group/version/kind, no create sent', async () => {
    const cases = [
      { template: 'flyte-workflow', apiVersion: 'flyte.lyft.com/v1alpha1', kind: 'FlyteWorkflow', why: 'group not served' },
      { template: 'tekton-task', apiVersion: 'tekton.dev/v1beta1', kind: 'Task', why: 'kind not in a served group/version' },
      { template: 'kfp-run-v1', apiVersion: 'pipelines.kubeflow.org/v1', kind: 'Run', why: 'version not served' },
    ];
    const dir = join(scratch, 'unserved');
    await mkdir(join(dir, 'templates'), { recursive: true });
    for (const c of cases) {
      const template = `apiVersion: ${c.apiVersion}\nkind: ${c.kind}\nmetadata:\n  generateName: {{dns1123 runConfiguration.name 40}}-\nspec:\n  commit: {{params.commit}}\n`;
      await writeFile(join(dir, 'templates', `${c.template}.yaml.hbs`), template);
    }
    const unserved = await startWith('unserved', {
      edit: (config) => {
        config['templates'] = { directories: ['templates'] };
        config['runConfigurations'] = cases.map((c) => ({
          name: c.template,
          namespace: 'ml',
          template: c.template,
          parameters: [{ name: 'commit', valueFrom: { event: 'sha' } }],
          triggers: { git: [{ repository: '*/*', branches: ['master'] }] },
        }));
      },
    });
    try {
      const answer = await deliver(unserved.daemon.url, randomUUID());
      assert.equal(answer.status, 404, JSON.stringify(answer.body));
      for (const c of cases) {
        const run = answer.body.runs.find((r) => r.runConfiguration === `ml/${c.template}`);
        assert.equal(run?.error?.status, 404, c.why);
        assert.equal(run.error.message, `${c.apiVersion} ${c.kind} is not served by the API server: is its CRD installed?`, c.why);
      }
      assert.deepEqual(await auditedCreates((e) => e.objectRef?.apiGroup === 'flyte.lyft.com' || e.objectRef?.resource === 'tasks' || e.requestURI.startsWith('/apis/pipelines.kubeflow.org/v1/')), []);
    } finally {
      await stopDaemon(unserved.daemon);
    }
  });

  test('a schema violation: 422 with the API server field message in the answer and in the log, one create request', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const bad = await startWith('bad-provider', { edit: badProvider, logger });
    try {
      const id = randomUUID();
      const answer = await deliver(bad.daemon.url, id);
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      const error = answer.body.runs[0]?.error;
      assert.equal(error?.status, 422);
      assert.equal(error.retryable, false);
      assert.match(error.message, /spec\.provider: Invalid value: "Not Valid"/);
      assert.ok(error.message.includes('^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?$'), error.message);

      const logged = lines.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l['msg'] === 'run not created' && l['eventId'] === id);
      assert.ok(logged, `no "run not created" line for ${id}`);
      assert.equal(logged['runConfiguration'], 'ml/bad-provider');
      assert.equal(logged['status'], 422);
      assert.match(logged['reason'], /spec\.provider: Invalid value: "Not Valid"/);

      const creates = await settledCreates((e) => e.objectRef?.name?.startsWith('bad-provider-') === true && e.objectRef.namespace === 'ml', 1);
      assert.equal(creates.length, 1);
      assert.equal(creates[0]?.responseStatus?.code, 422);
      assert.equal((await runsOfEvent(id))['pipelines.kubeflow.org/v1beta1 Run']?.length, 0);
    } finally {
      await stopDaemon(bad.daemon);
    }
  });

  test('runbridge render --server-dry-run: manifests on stdout, every one admitted, nothing created; an invalid one exits 1 with the server message', async () => {
    const id = randomUUID();
    const dry = await cli(['render', '--server-dry-run', '--config', main.configPath, '--event', PUSH, '--github-event', 'push', '--delivery', id]);
    assert.equal(dry.code, 0, dry.stderr);
    const manifests = manifestsOf(dry.stdout);
    assert.equal(manifests.length, KINDS.length);
    assert.ok(manifests.every((m) => m.metadata.labels[EVENT_ID] === id));
    assert.equal(dry.stderr.match(/\(accepted by server dry run\)/g)?.length, KINDS.length, dry.stderr);
    const names = new Set(manifests.map((m) => m.metadata.name));
    const creates = await settledCreates((e) => names.has(e.objectRef?.name ?? ''), KINDS.length);
    assert.equal(creates.length, KINDS.length, 'each manifest went to the API server');
    assert.ok(creates.every((e) => /[?&]dryRun=All(&|$)/.test(e.requestURI) && e.responseStatus?.code === 201), JSON.stringify(creates));
    for (const items of Object.values(await runsOfEvent(id))) assert.equal(items.length, 0, 'a dry run creates nothing');

    const dir = join(scratch, 'render-bad');
    await mkdir(dir, { recursive: true });
    const config = { ...structuredClone(quickstart), sink: { type: 'kubernetes', kubeconfig: kube.kubeconfigPath }, github: { secrets: [{ fromEnv: 'RB_SECRET' }] } };
    badProvider(config);
    await writeFile(join(dir, 'runbridge.yaml'), JSON.stringify(config));
    const invalid = await cli(['render', '--server-dry-run', '--config', join(dir, 'runbridge.yaml'), '--event', PUSH, '--github-event', 'push', '--delivery', id]);
    assert.equal(invalid.code, 1, invalid.stderr);
    assert.match(invalid.stderr, /✗ ml\/bad-provider \(git\[0\]\): .*spec\.provider: Invalid value: "Not Valid"/);
    assert.equal((await runsOfEvent(id))['pipelines.kubeflow.org/v1beta1 Run']?.length, 0);
  });
});
