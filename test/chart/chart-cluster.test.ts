/**
 * The chart installed by the real helm into a real kube-apiserver (etcd embedded, RBAC on), with
 * the run kinds' CRDs and a minimal ServiceMonitor CRD. Then SubjectAccessReviews, sent as admin,
 * prove what the chart's service account may do: create/get/list/watch the configured run kinds
 * in the configured namespaces, delete/patch only where Replace needs it, its Lease — and nothing
 * else (no pods, no secrets, no other kinds, no other namespaces). The pod template must also pass
 * the `restricted` Pod Security Standard, enforced by the API server.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver.ts';
import { CHART, createHelm, type Helm, type Rendered } from './helm.ts';
import { productionValues } from './chart-values.ts';
import { kubeRest, type KubeObject, type KubeRest, type ResourceAttributes } from './kube-rest.ts';

const TIMEOUT = { timeout: 900_000 };
const CRD_DIR = join(import.meta.dirname, '..', 'crds');
/** Enough of the Prometheus Operator's CRD for the chart's ServiceMonitor to be stored. */
const SERVICE_MONITOR_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: servicemonitors.monitoring.coreos.com }
spec:
  group: monitoring.coreos.com
  scope: Namespaced
  names: { kind: ServiceMonitor, plural: servicemonitors, singular: servicemonitor, listKind: ServiceMonitorList }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;

let kube: KubeApiServer;
let rest: KubeRest;
let helm: Helm;
let kubeconfig: string;
let scratch: string;

before(async () => {
  helm = await createHelm();
  scratch = await mkdtemp(join(tmpdir(), 'runbridge-chart-cluster-'));
  const serviceMonitorCrd = join(scratch, 'servicemonitors.monitoring.coreos.com.yaml');
  await writeFile(serviceMonitorCrd, SERVICE_MONITOR_CRD);
  const crdFiles = readdirSync(CRD_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(CRD_DIR, f));
  kube = await startKubeApiServer({ crdFiles: [...crdFiles, serviceMonitorCrd] });
  kubeconfig = kube.kubeconfigPath;
  rest = kubeRest(kube.kubeConfig());
  for (const name of ['runbridge', 'ml', 'ci', 'rbd', 'rbf', 'rbn', 'elsewhere']) await rest.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  await rest.create({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  });
}, TIMEOUT);

after(async () => {
  await kube?.stop();
  await helm?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function install(release: string, namespace: string, values: object, upgrade = false): Promise<string> {
  const args = [upgrade ? 'upgrade' : 'install', release, CHART, '--namespace', namespace, '--kubeconfig', kubeconfig, '-f', await helm.valuesFile(values)];
  const result = await helm.run(args);
  assert.equal(result.code, 0, `helm ${args[0]} ${release} failed:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /would violate PodSecurity|unknown field/i);
  return result.stdout;
}

function serviceAccount(namespace: string, name: string): { user: string; groups: string[] } {
  return { user: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

type Check = [verb: string, group: string, resource: string, namespace: string, name?: string];

function describeCheck([verb, group, resource, namespace, name]: Check, allowed: boolean): string {
  return `${allowed ? 'ALLOW' : 'deny '} ${verb} ${resource}${group ? `.${group}` : ''}${name ? `/${name}` : ''} in ${namespace || '(all namespaces)'}`;
}

/** One line per check: what the API server decided, in the words of describeCheck. */
async function decisions(who: { user: string; groups: string[] }, checks: readonly Check[]): Promise<string[]> {
  const out: string[] = [];
  for (const check of checks) {
    const [verb, group, resource, namespace, name] = check;
    const attributes: ResourceAttributes = { verb, group, resource, namespace, ...(name ? { name } : {}) };
    out.push(describeCheck(check, await rest.can(who.user, who.groups, attributes)));
  }
  return out;
}

const RUN_KINDS: [group: string, resource: string][] = [
  ['pipelines.kubeflow.org', 'runs'],
  ['tekton.dev', 'customruns'],
  ['tekton.dev', 'runs'],
  ['openchoreo.dev', 'workflowruns'],
  ['batch.tensorstack.dev', 'workflowruns'],
  ['tekton.dev', 'pipelineruns'],
  ['argoproj.io', 'workflows'],
];
const READ_WRITE = ['create', 'get', 'list', 'watch'];

/** What a service account must never be able to do, whatever the values. */
function forbidden(namespace: string, elsewhere: string): Check[] {
  return [
    ['create', '', 'pods', namespace],
    ['get', '', 'pods', namespace],
    ['get', '', 'secrets', namespace],
    ['list', '', 'secrets', namespace],
    ['get', '', 'secrets', 'runbridge'],
    ['get', '', 'configmaps', namespace],
    ['create', 'apps', 'deployments', namespace],
    ['create', 'tekton.dev', 'pipelines', namespace],
    ['create', 'tekton.dev', 'taskruns', namespace],
    ['create', 'argoproj.io', 'workflowtemplates', namespace],
    ['update', 'pipelines.kubeflow.org', 'runs', namespace],
    ['deletecollection', 'pipelines.kubeflow.org', 'runs', namespace],
    ['escalate', 'rbac.authorization.k8s.io', 'roles', namespace],
    ['create', 'rbac.authorization.k8s.io', 'rolebindings', namespace],
    ['create', 'pipelines.kubeflow.org', 'runs', elsewhere],
    ['list', 'pipelines.kubeflow.org', 'runs', ''],
    ['create', 'pipelines.kubeflow.org', 'runs', ''],
    ['impersonate', '', 'serviceaccounts', namespace],
  ];
}

describe('default values, installed', () => {
  let notes: string;
  let secret: string;
  const sa = serviceAccount('rbd', 'rbd-runbridge');

  before(async () => {
    notes = await install('rbd', 'rbd', {});
    const { body } = await rest.call('GET', '/api/v1/namespaces/rbd/secrets/rbd-runbridge-webhook');
    secret = body.data['github-webhook-secret'];
  }, TIMEOUT);

  test('every object was created (strict field validation by helm and the API server)', TIMEOUT, async () => {
    for (const path of [
      '/apis/apps/v1/namespaces/rbd/deployments/rbd-runbridge',
      '/api/v1/namespaces/rbd/services/rbd-runbridge',
      '/api/v1/namespaces/rbd/serviceaccounts/rbd-runbridge',
      '/api/v1/namespaces/rbd/configmaps/rbd-runbridge-config',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/rbd/roles/rbd-runbridge-runs',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/rbd/rolebindings/rbd-runbridge-runs',
    ]) {
      const { status } = await rest.call('GET', path);
      assert.equal(status, 200, path);
    }
  });

  test('the service account may create/get/list/watch the seven run kinds in its namespace, and only that', TIMEOUT, async () => {
    const allowed: Check[] = RUN_KINDS.flatMap(([group, resource]) => READ_WRITE.map((verb): Check => [verb, group, resource, 'rbd']));
    const noReplace: Check[] = RUN_KINDS.flatMap(([group, resource]) => ['delete', 'patch'].map((verb): Check => [verb, group, resource, 'rbd']));
    const noLease: Check[] = [
      ['create', 'coordination.k8s.io', 'leases', 'rbd'],
      ['get', 'coordination.k8s.io', 'leases', 'rbd', 'runbridge-scheduler'],
    ];
    const denied = [...noReplace, ...noLease, ...forbidden('rbd', 'ml')];
    const got = await decisions(sa, [...allowed, ...denied]);
    assert.deepEqual(got, [...allowed.map((c) => describeCheck(c, true)), ...denied.map((c) => describeCheck(c, false))]);
  });

  test('NOTES tell the webhook URL inside the cluster, the content type, where the secret is and the events', () => {
    assert.match(notes, /http:\/\/rbd-runbridge\.rbd\.svc:80\/webhooks\/github/);
    assert.match(notes, /Content type:\s+application\/json/);
    assert.match(notes, /kubectl -n rbd get secret rbd-runbridge-webhook/);
    assert.match(notes, /jsonpath='\{\.data\.github-webhook-secret\}'/);
    assert.match(notes, /Events:.*→ push\n/);
    assert.match(notes, /config\.runConfigurations is empty/);
  });

  test('an upgrade keeps the generated webhook secret (GitHub has it)', TIMEOUT, async () => {
    await install('rbd', 'rbd', { config: { logLevel: 'debug' } }, true);
    const { body } = await rest.call('GET', '/api/v1/namespaces/rbd/secrets/rbd-runbridge-webhook');
    assert.equal(body.data['github-webhook-secret'], secret);
  });
});

describe('GitLab and Bitbucket Cloud enabled, installed', () => {
  let notes: string;
  before(async () => {
    notes = await install('rbf', 'rbf', {
      config: { github: { enabled: false, path: '/webhooks/github' } },
      forges: {
        gitlab: { enabled: true, path: '/webhooks/gitlab', secret: { value: '', existingSecret: '', key: 'webhook-secret', additionalKeys: [] } },
        'bitbucket-cloud': { enabled: true, path: '/webhooks/bitbucket-cloud', secret: { value: '', existingSecret: '', key: 'webhook-secret', additionalKeys: [] } },
      },
    });
  }, TIMEOUT);

  test("NOTES tell each enabled forge's URL, where to add the webhook, which events and how to read its secret", () => {
    assert.match(notes, /Configure gitlab\n\n\s+GitLab: project \(or group\) → Settings → Webhooks.*Push events, Tag push events, Merge request events, Releases events/);
    assert.match(notes, /URL:\s+http:\/\/rbf-runbridge\.rbf\.svc:80\/webhooks\/gitlab/);
    assert.match(notes, /kubectl -n rbf get secret rbf-runbridge-gitlab-webhook -o jsonpath='\{\.data\.webhook-secret\}'/);
    assert.match(notes, /Configure bitbucket-cloud\n\n\s+Bitbucket Cloud: repository → Repository settings → Webhooks.*without one Bitbucket signs nothing/);
    assert.match(notes, /URL:\s+http:\/\/rbf-runbridge\.rbf\.svc:80\/webhooks\/bitbucket-cloud/);
    assert.doesNotMatch(notes, /webhooks\/github/);
  });

  test('each forge Secret exists with a generated value', TIMEOUT, async () => {
    for (const name of ['gitlab', 'bitbucket-cloud']) {
      const { status, body } = await rest.call('GET', `/api/v1/namespaces/rbf/secrets/rbf-runbridge-${name}-webhook`);
      assert.equal(status, 200);
      assert.match(Buffer.from(body.data['webhook-secret'], 'base64').toString('utf8'), /^[A-Za-z0-9]{40}$/);
    }
  });
});

describe('the two ports, as the API server keeps them', () => {
  before(async () => {
    await install('rbn', 'rbn', productionValues());
  }, TIMEOUT);

  test('the Service: public port 80 to the named port http, internal 8081 to internal; the Deployment names both', TIMEOUT, async () => {
    const service = await rest.call('GET', '/api/v1/namespaces/rbn/services/rbn-runbridge');
    assert.equal(service.status, 200);
    assert.deepEqual(
      service.body.spec.ports.map((p: any) => [p.name, p.port, p.targetPort, p.protocol]),
      [['http', 80, 'http', 'TCP'], ['internal', 8081, 'internal', 'TCP']],
    );
    const deployment = await rest.call('GET', '/apis/apps/v1/namespaces/rbn/deployments/rbn-runbridge');
    const container = deployment.body.spec.template.spec.containers[0];
    assert.deepEqual(container.ports.map((p: any) => [p.name, p.containerPort]), [['http', 8080], ['internal', 8081]]);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) assert.equal(container[probe].httpGet.port, 'http', probe);
  });

  test('the NetworkPolicy: webhook port from the ingress namespace, internal port from the namespace and monitoring', TIMEOUT, async () => {
    const policy = await rest.call('GET', '/apis/networking.k8s.io/v1/namespaces/rbn/networkpolicies/rbn-runbridge');
    assert.equal(policy.status, 200);
    assert.deepEqual(policy.body.spec.policyTypes, ['Ingress']);
    assert.deepEqual(policy.body.spec.ingress, [
      { ports: [{ port: 'http', protocol: 'TCP' }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
      { ports: [{ port: 'internal', protocol: 'TCP' }], from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
    ]);
  });

  test('the Ingress backend and the ServiceMonitor name existing Service ports: http for webhooks, internal for /metrics', TIMEOUT, async () => {
    const ingress = await rest.call('GET', '/apis/networking.k8s.io/v1/namespaces/rbn/ingresses/rbn-runbridge');
    const ports = ingress.body.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service.port.name));
    assert.deepEqual([...new Set(ports)], ['http']);
    const monitor = await rest.call('GET', '/apis/monitoring.coreos.com/v1/namespaces/rbn/servicemonitors/rbn-runbridge');
    assert.deepEqual(monitor.body.spec.endpoints.map((e: any) => [e.port, e.path]), [['internal', '/metrics']]);
  });
});

describe('production values, installed', () => {
  let notes: string;
  const sa = serviceAccount('runbridge', 'rb-runbridge');

  before(async () => {
    notes = await install('rb', 'runbridge', productionValues());
  }, TIMEOUT);

  test('the Ingress, PDB, ServiceMonitor and dashboard exist', TIMEOUT, async () => {
    for (const path of [
      '/apis/networking.k8s.io/v1/namespaces/runbridge/ingresses/rb-runbridge',
      '/apis/policy/v1/namespaces/runbridge/poddisruptionbudgets/rb-runbridge',
      '/apis/monitoring.coreos.com/v1/namespaces/runbridge/servicemonitors/rb-runbridge',
      '/api/v1/namespaces/runbridge/configmaps/rb-runbridge-dashboard',
      '/api/v1/namespaces/runbridge/configmaps/rb-runbridge-templates',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/runbridge/roles/rb-runbridge-leader-election',
    ]) {
      const { status } = await rest.call('GET', path);
      assert.equal(status, 200, path);
    }
  });

  test('run kinds in the run configurations namespaces; delete/patch on KFP runs only (a Replace schedule)', TIMEOUT, async () => {
    const checks: Check[] = [];
    for (const namespace of ['ml', 'ci', 'default']) {
      for (const [group, resource] of RUN_KINDS) for (const verb of [...READ_WRITE, 'delete', 'patch']) checks.push([verb, group, resource, namespace]);
    }
    const got = await decisions(sa, checks);
    assert.deepEqual(got, checks.map((c) => describeCheck(c, READ_WRITE.includes(c[0]) || c[1] === 'pipelines.kubeflow.org')));
  });

  test('its own Lease only: create, get/update by name; nothing else on leases', TIMEOUT, async () => {
    const got = await decisions(sa, [
      ['create', 'coordination.k8s.io', 'leases', 'runbridge'],
      ['get', 'coordination.k8s.io', 'leases', 'runbridge', 'runbridge-scheduler'],
      ['update', 'coordination.k8s.io', 'leases', 'runbridge', 'runbridge-scheduler'],
      ['get', 'coordination.k8s.io', 'leases', 'runbridge', 'kube-scheduler'],
      ['update', 'coordination.k8s.io', 'leases', 'runbridge', 'other-lease'],
      ['delete', 'coordination.k8s.io', 'leases', 'runbridge', 'runbridge-scheduler'],
      ['list', 'coordination.k8s.io', 'leases', 'runbridge'],
      ['create', 'coordination.k8s.io', 'leases', 'ml'],
      ['create', 'coordination.k8s.io', 'leases', 'kube-system'],
    ]);
    assert.deepEqual(got, [
      'ALLOW create leases.coordination.k8s.io in runbridge',
      'ALLOW get leases.coordination.k8s.io/runbridge-scheduler in runbridge',
      'ALLOW update leases.coordination.k8s.io/runbridge-scheduler in runbridge',
      'deny  get leases.coordination.k8s.io/kube-scheduler in runbridge',
      'deny  update leases.coordination.k8s.io/other-lease in runbridge',
      'deny  delete leases.coordination.k8s.io/runbridge-scheduler in runbridge',
      'deny  list leases.coordination.k8s.io in runbridge',
      'deny  create leases.coordination.k8s.io in ml',
      'deny  create leases.coordination.k8s.io in kube-system',
    ]);
  });

  test('no pods, no secrets, no other kinds, no other namespaces', TIMEOUT, async () => {
    const checks = [...forbidden('ml', 'elsewhere'), ...forbidden('ci', 'runbridge'), ['create', 'batch.tensorstack.dev', 'workflowruns', 'elsewhere'] as Check];
    assert.deepEqual(await decisions(sa, checks), checks.map((c) => describeCheck(c, false)));
  });

  test('the complete rule list of the service account in ml, as the API server resolves it', TIMEOUT, async () => {
    // A SelfSubjectRulesReview impersonating the service account: every rule that applies to it.
    const { status, body } = await rest.call(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'ml' } },
      { 'Impersonate-User': sa.user, 'Impersonate-Group': 'system:serviceaccounts' },
    );
    assert.equal(status, 201, JSON.stringify(body));
    // What every authenticated user may do (reviews about itself, from system:basic-user) is not the chart's.
    const rules = (body.status.resourceRules as { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }[])
      .filter((r) => !(r.apiGroups ?? []).every((g) => g === 'authorization.k8s.io' || g === 'authentication.k8s.io'))
      .map((r) => `${[...r.verbs].sort().join(',')} ${(r.resources ?? []).join(',')}.${(r.apiGroups ?? []).join(',')}${r.resourceNames ? `/${r.resourceNames.join(',')}` : ''}`)
      .sort();
    assert.deepEqual(rules, [
      'create,delete,get,list,patch,watch runs.pipelines.kubeflow.org',
      'create,get,list,watch customruns.tekton.dev',
      'create,get,list,watch pipelineruns.tekton.dev',
      'create,get,list,watch runs.tekton.dev',
      'create,get,list,watch workflowruns.batch.tensorstack.dev',
      'create,get,list,watch workflowruns.openchoreo.dev',
      'create,get,list,watch workflows.argoproj.io',
    ]);
  });

  test('NOTES give the public webhook URL, the existing secret and the events the triggers need', () => {
    assert.match(notes, /https:\/\/runbridge\.acme\.dev\/webhooks\/github/);
    assert.match(notes, /Content type:\s+application\/json/);
    assert.match(notes, /key current in Secret github-webhook/);
    assert.match(notes, /Events:.*→ pull_request, push\n/);
    assert.match(notes, /Delete\/patch where concurrencyPolicy Replace needs it/);
    assert.match(notes, /Lease runbridge-scheduler in runbridge/);
  });
});

describe('the pod template against the restricted Pod Security Standard', () => {
  let template: Rendered;
  before(async () => {
    const objects = await helm.template({}, { namespace: 'restricted' });
    template = objects.find((o) => o.kind === 'Deployment')!['spec']['template'];
  }, TIMEOUT);

  const pod = (edit: (spec: any) => void = () => {}): KubeObject => {
    const spec = structuredClone(template['spec']);
    edit(spec);
    return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `check-${Math.random().toString(36).slice(2, 8)}`, namespace: 'restricted' }, spec };
  };

  test('the API server admits the chart pod in a namespace that enforces restricted', TIMEOUT, async () => {
    await rest.create(pod());
  });

  const violations: { name: string; edit: (spec: any) => void }[] = [
    { name: 'privilege escalation', edit: (s) => (s.containers[0].securityContext.allowPrivilegeEscalation = true) },
    { name: 'a capability kept', edit: (s) => (s.containers[0].securityContext.capabilities = { drop: ['ALL'], add: ['NET_ADMIN'] }) },
    { name: 'running as root', edit: (s) => ((s.securityContext.runAsUser = 0), (s.containers[0].securityContext.runAsUser = 0)) },
    { name: 'no seccomp profile', edit: (s) => (delete s.securityContext.seccompProfile, delete s.containers[0].securityContext.seccompProfile) },
  ];
  for (const v of violations) {
    test(`and refuses it with ${v.name} (the check can fail)`, TIMEOUT, async () => {
      await assert.rejects(rest.create(pod(v.edit)), /HTTP 403.*violates PodSecurity "restricted/);
    });
  }
});

