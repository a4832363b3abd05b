/**
 * The Helm chart, rendered by the real helm: lint, the objects the default and a production-like
 * set of values render (security context, probes, volumes, RBAC rules exactly), the configuration
 * it renders loaded by runbridge's own loader, and the values it refuses. Installing it into a
 * real kube-apiserver and checking what its service account may do is chart-cluster.test.ts.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigText } from '../../src/config/load.ts';
import { CHART, KUBE_VERSION, createHelm, type Helm, type Rendered } from './helm.ts';
import { LEASE_RULES, USER_TEMPLATE, expectedRunRules, find, only, productionValues } from './chart-values.ts';

const TIMEOUT = { timeout: 900_000 };
let helm: Helm;
before(async () => {
  helm = await createHelm();
}, TIMEOUT);
after(() => helm?.close());

/** runbridge's loader on a rendered config (user templates written where the config expects them). */
async function loadRendered(objects: readonly Rendered[]) {
  const config = only(objects, 'ConfigMap', 'rb-runbridge-config');
  const dir = await mkdtemp(join(tmpdir(), 'runbridge-chart-config-'));
  try {
    let text = String(config['data']['config.yaml']);
    const templates = find(objects, 'ConfigMap', 'rb-runbridge-templates');
    if (templates) {
      await mkdir(join(dir, 'templates'));
      for (const [name, body] of Object.entries(templates['data'] as Record<string, string>)) await writeFile(join(dir, 'templates', name), body);
      text = text.replaceAll('/etc/runbridge/templates', join(dir, 'templates'));
    }
    return await loadConfigText(text, { baseDir: dir, fileName: 'config.yaml', env: { NATS_TOKEN: 'x' } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function container(deployment: Rendered): Record<string, any> {
  return deployment['spec']['template']['spec']['containers'][0];
}

describe('helm lint', () => {
  test('the chart lints cleanly with its defaults and with every option on', TIMEOUT, async () => {
    for (const values of [{}, productionValues()]) {
      const result = await helm.run(['lint', CHART, '--strict', '--kube-version', KUBE_VERSION, '-f', await helm.valuesFile(values)]);
      assert.equal(result.code, 0, `helm lint failed:\n${result.stdout}\n${result.stderr}`);
      assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });
});

describe('default values', () => {
  let objects: Rendered[];
  before(async () => {
    objects = await helm.template();
  }, TIMEOUT);

  test('render a ServiceAccount, the webhook Secret, the config, a Role and binding, a Service and a Deployment — nothing optional', () => {
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), [
      'ConfigMap/rb-runbridge-config',
      'Deployment/rb-runbridge',
      'NetworkPolicy/rb-runbridge',
      'Role/rb-runbridge-runs',
      'RoleBinding/rb-runbridge-runs',
      'Secret/rb-runbridge-webhook',
      'Service/rb-runbridge',
      'ServiceAccount/rb-runbridge',
    ]);
  });

  test('the pod runs as non-root with a read-only root file system, no privilege escalation, no capabilities, seccomp RuntimeDefault', () => {
    const deployment = only(objects, 'Deployment');
    const pod = deployment['spec']['template']['spec'];
    assert.equal(pod['securityContext']['runAsNonRoot'], true);
    assert.ok(pod['securityContext']['runAsUser'] > 0);
    assert.deepEqual(pod['securityContext']['seccompProfile'], { type: 'RuntimeDefault' });
    const security = container(deployment)['securityContext'];
    assert.equal(security['readOnlyRootFilesystem'], true);
    assert.equal(security['allowPrivilegeEscalation'], false);
    assert.equal(security['privileged'], false);
    assert.equal(security['runAsNonRoot'], true);
    assert.deepEqual(security['capabilities'], { drop: ['ALL'] });
    assert.deepEqual(security['seccompProfile'], { type: 'RuntimeDefault' });
  });

  test('probes: liveness and startup on /healthz, readiness on /readyz, on the public http port (8080)', () => {
    const c = container(only(objects, 'Deployment'));
    assert.deepEqual(c['ports'], [
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'internal', containerPort: 8081, protocol: 'TCP' },
    ]);
    assert.deepEqual(c['livenessProbe']['httpGet'], { path: '/healthz', port: 'http' });
    assert.deepEqual(c['startupProbe']['httpGet'], { path: '/healthz', port: 'http' });
    assert.deepEqual(c['readinessProbe']['httpGet'], { path: '/readyz', port: 'http' });
    assert.deepEqual(c['args'], ['serve', '--config', '/etc/runbridge/config/config.yaml']);
    assert.ok(c['resources']['requests']['cpu'] && c['resources']['requests']['memory'] && c['resources']['limits']['memory']);
  });

  test('/tmp and the state directory are emptyDirs; config and secret are mounted read-only', () => {
    const deployment = only(objects, 'Deployment');
    const mounts = Object.fromEntries((container(deployment)['volumeMounts'] as any[]).map((m) => [m.mountPath, m]));
    const volumes = Object.fromEntries((deployment['spec']['template']['spec']['volumes'] as any[]).map((v) => [v.name, v]));
    assert.ok(volumes[mounts['/tmp'].name]['emptyDir']);
    assert.ok(volumes[mounts['/var/lib/runbridge'].name]['emptyDir']);
    assert.equal(mounts['/etc/runbridge/config'].readOnly, true);
    assert.equal(volumes[mounts['/etc/runbridge/config'].name]['configMap']['name'], 'rb-runbridge-config');
    assert.equal(mounts['/etc/runbridge/secrets'].readOnly, true);
    assert.equal(volumes[mounts['/etc/runbridge/secrets'].name]['secret']['secretName'], 'rb-runbridge-webhook');
  });

  test('terminationGracePeriodSeconds leaves room for the preStop pause and the shutdown grace period', () => {
    const pod = only(objects, 'Deployment')['spec']['template']['spec'];
    const preStop = container(only(objects, 'Deployment'))['lifecycle']['preStop']['sleep']['seconds'];
    assert.equal(preStop, 5);
    assert.equal(pod['terminationGracePeriodSeconds'], 5 + 25 + 10);
    assert.equal(pod['automountServiceAccountToken'], true, 'the Kubernetes sink needs the token');
    assert.equal(only(objects, 'ServiceAccount')['automountServiceAccountToken'], false);
  });

  test('RBAC: create/get/list/watch on exactly the seven run kinds, in the release namespace, no leases', () => {
    const role = only(objects, 'Role');
    assert.equal(role.metadata.namespace, 'runbridge');
    assert.deepEqual(role['rules'], expectedRunRules(() => false));
    const binding = only(objects, 'RoleBinding');
    assert.deepEqual(binding['roleRef'], { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rb-runbridge-runs' });
    assert.deepEqual(binding['subjects'], [{ kind: 'ServiceAccount', name: 'rb-runbridge', namespace: 'runbridge' }]);
  });

  test('a generated webhook secret of 40 characters', () => {
    const secret = only(objects, 'Secret');
    const value = Buffer.from(String(secret['data']['github-webhook-secret']), 'base64').toString('utf8');
    assert.match(value, /^[A-Za-z0-9]{40}$/);
  });

  test('the config is one runbridge loads: kubernetes sink in-cluster, file state on the emptyDir, secret from the mounted file', async () => {
    const loaded = await loadRendered(objects);
    const { config } = loaded;
    assert.deepEqual(config.sink, { type: 'kubernetes', dryRun: false, qps: 20, burst: 40, maxAttempts: 6 });
    assert.deepEqual(config.state, { type: 'file', directory: '/var/lib/runbridge/state', dedupeRetentionHours: 168 });
    assert.deepEqual(config.github?.secrets, [{ fromFile: '/etc/runbridge/secrets/github-webhook-secret' }]);
    assert.equal(config.server.port, 8080);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.leaderElection, undefined);
  });
});

describe('two listeners: the Service, the config, the heap and the NetworkPolicy agree', () => {
  let objects: Rendered[];
  let production: Rendered[];
  before(async () => {
    objects = await helm.template();
    production = await helm.template(productionValues());
  }, TIMEOUT);

  test('the Service exposes the public port (to http) and the internal port (to internal)', () => {
    assert.deepEqual(only(objects, 'Service')['spec']['ports'], [
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'internal', port: 8081, targetPort: 'internal', protocol: 'TCP' },
    ]);
  });

  test('the config runbridge loads listens where the container ports are: public 8080, internal 8081 on every address', async () => {
    const { config } = await loadRendered(objects);
    const ports = Object.fromEntries((container(only(objects, 'Deployment'))['ports'] as { name: string; containerPort: number }[]).map((p) => [p.name, p.containerPort]));
    assert.deepEqual({ http: config.server.port, internal: config.server.internalPort, internalHost: config.server.internalHost }, { ...ports, internalHost: '0.0.0.0' });
  });

  test("node's heap is capped under the memory limit (NODE_OPTIONS)", () => {
    const env = container(only(objects, 'Deployment'))['env'] as { name: string; value?: string }[];
    assert.equal(env.find((e) => e.name === 'NODE_OPTIONS')?.value, '--max-old-space-size=256');
  });

  test('defaults: the public port from anywhere, the internal port from pods of the namespace only', () => {
    const policy = only(objects, 'NetworkPolicy');
    assert.deepEqual(policy['spec'], {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'runbridge', 'app.kubernetes.io/instance': 'rb' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }] }, { ports: [{ port: 'internal', protocol: 'TCP' }], from: [{ podSelector: {} }] }],
    });
  });

  test('with selectors: the public port from the ingress namespace only, the internal port from the namespace and monitoring', () => {
    const policy = only(production, 'NetworkPolicy');
    assert.deepEqual(policy['spec']['ingress'], [
      { ports: [{ port: 'http', protocol: 'TCP' }], from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] },
      { ports: [{ port: 'internal', protocol: 'TCP' }], from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
    ]);
  });

  test('the Ingress routes to the public port only', () => {
    const backends = (only(production, 'Ingress')['spec']['rules'] as any[]).flatMap((r) => r.http.paths.map((p: any) => p.backend.service.port));
    assert.ok(backends.length > 0);
    for (const port of backends) assert.deepEqual(port, { name: 'http' });
  });

  test('networkPolicy.enabled false: none rendered', TIMEOUT, async () => {
    assert.equal(find(await helm.template({ networkPolicy: { enabled: false } }), 'NetworkPolicy'), undefined);
  });
});

describe('production values: every option on', () => {
  let objects: Rendered[];
  before(async () => {
    objects = await helm.template(productionValues());
  }, TIMEOUT);

  test('an Ingress for the webhook path only, with TLS', () => {
    const ingress = only(objects, 'Ingress');
    assert.equal(ingress['spec']['ingressClassName'], 'nginx');
    assert.deepEqual(ingress['spec']['tls'], [{ secretName: 'runbridge-tls', hosts: ['runbridge.acme.dev'] }]);
    assert.deepEqual(ingress['spec']['rules'], [
      {
        host: 'runbridge.acme.dev',
        http: { paths: [{ path: '/webhooks/github', pathType: 'Exact', backend: { service: { name: 'rb-runbridge', port: { name: 'http' } } } }] },
      },
    ]);
  });

  test('a PodDisruptionBudget, a ServiceMonitor on /metrics and the dashboard ConfigMap', () => {
    const pdb = only(objects, 'PodDisruptionBudget');
    assert.equal(pdb['spec']['minAvailable'], 1);
    assert.deepEqual(pdb['spec']['selector']['matchLabels'], { 'app.kubernetes.io/name': 'runbridge', 'app.kubernetes.io/instance': 'rb' });
    const monitor = only(objects, 'ServiceMonitor');
    assert.equal(monitor.metadata.labels?.['release'], 'prometheus');
    assert.deepEqual(monitor['spec']['endpoints'], [{ port: 'internal', path: '/metrics', interval: '30s' }]);
    const dashboard = only(objects, 'ConfigMap', 'rb-runbridge-dashboard');
    assert.equal(dashboard.metadata.labels?.['grafana_dashboard'], '1');
    const json = JSON.parse(dashboard['data']['runbridge.json']) as { panels: { targets: { expr: string }[] }[] };
    const exprs = json.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    for (const metric of ['runbridge_events_received_total', 'runbridge_events_rejected_total', 'runbridge_runs_submitted_total', 'runbridge_event_duration_seconds_bucket']) {
      assert.ok(exprs.includes(metric), `the dashboard should chart ${metric}`);
    }
  });

  test('existingSecret: no Secret is rendered; the pod mounts the named one and the config reads both keys', async () => {
    assert.equal(find(objects, 'Secret'), undefined);
    const pod = only(objects, 'Deployment')['spec']['template']['spec'];
    assert.deepEqual(pod['volumes'].find((v: any) => v.name === 'webhook-secret'), { name: 'webhook-secret', secret: { secretName: 'github-webhook', defaultMode: 0o440 } });
    const { config } = await loadRendered(objects);
    assert.deepEqual(config.github?.secrets, [{ fromFile: '/etc/runbridge/secrets/current' }, { fromFile: '/etc/runbridge/secrets/previous' }]);
  });

  test('2 replicas: leader election on a Lease in the release namespace; NATS state with the token from a Secret', async () => {
    const deployment = only(objects, 'Deployment');
    assert.equal(deployment['spec']['replicas'], 2);
    assert.equal(deployment['spec']['strategy']['rollingUpdate']['maxUnavailable'], 0);
    assert.equal(container(deployment)['image'], `ghcr.io/runbridge/runbridge:0.1.0@sha256:${'ab'.repeat(32)}`);
    assert.deepEqual(
      container(deployment)['env'].find((e: any) => e.name === 'NATS_TOKEN'),
      { name: 'NATS_TOKEN', valueFrom: { secretKeyRef: { name: 'nats-token', key: 'token' } } },
    );
    assert.equal(deployment['spec']['template']['spec']['terminationGracePeriodSeconds'], 5 + 40 + 10);
    const loaded = await loadRendered(objects);
    assert.deepEqual(loaded.config.leaderElection, {
      enabled: true,
      leaseName: 'runbridge-scheduler',
      leaseNamespace: 'runbridge',
      leaseDurationSeconds: 15,
      renewDeadlineSeconds: 10,
      retryPeriodSeconds: 2,
    });
    assert.deepEqual(loaded.config.state, { type: 'nats', bucket: 'runbridge-prod', replicas: 3, dedupeRetentionHours: 168 });
    assert.deepEqual(loaded.config.nats?.servers, ['nats://nats.nats:4222']);
    assert.deepEqual(loaded.config.nats?.token, { fromEnv: 'NATS_TOKEN' });
    assert.equal(loaded.runConfigurations.length, 8);
    assert.deepEqual(loaded.templates.names(), [
      'acme-customrun',
      'argo-workflow',
      'kfp-run',
      'openchoreo-workflowrun',
      'tekton-customrun',
      'tekton-pipelinerun',
      'tekton-run',
      'tensorstack-workflowrun',
    ]);
  });

  test('the user template is shipped in its own ConfigMap and mounted read-only', () => {
    const templates = only(objects, 'ConfigMap', 'rb-runbridge-templates');
    assert.deepEqual(Object.keys(templates['data']), ['acme-customrun.yaml.hbs']);
    assert.equal(templates['data']['acme-customrun.yaml.hbs'].trimEnd(), USER_TEMPLATE.trimEnd());
    const mount = container(only(objects, 'Deployment'))['volumeMounts'].find((m: any) => m.mountPath === '/etc/runbridge/templates');
    assert.equal(mount?.readOnly, true);
  });

  test('RBAC: a Role per namespace of the run configurations; delete/patch only on the kind a Replace schedule uses; the Lease', () => {
    const roles = objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'rb-runbridge-runs');
    assert.deepEqual(roles.map((r) => r.metadata.namespace).sort(), ['ci', 'default', 'ml']);
    const kfpOnly = expectedRunRules((group) => group === 'pipelines.kubeflow.org');
    for (const role of roles) assert.deepEqual(role['rules'], kfpOnly, `Role in ${role.metadata.namespace}`);
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'rb-runbridge-runs');
    assert.deepEqual(bindings.map((r) => r.metadata.namespace).sort(), ['ci', 'default', 'ml']);
    const lease = only(objects, 'Role', 'rb-runbridge-leader-election', 'runbridge');
    assert.deepEqual(lease['rules'], LEASE_RULES);
    only(objects, 'RoleBinding', 'rb-runbridge-leader-election', 'runbridge');
    assert.equal(find(objects, 'ClusterRole'), undefined);
    assert.equal(find(objects, 'ClusterRoleBinding'), undefined);
  });
});

describe('RBAC variants', () => {
  test('rbac.allowReplace: delete/patch on every run kind', TIMEOUT, async () => {
    const objects = await helm.template({ rbac: { allowReplace: true } });
    assert.deepEqual(only(objects, 'Role')['rules'], expectedRunRules(() => true));
  });

  test('replace: true on one kind: delete/patch on that kind only', TIMEOUT, async () => {
    const runKinds = [
      { group: 'pipelines.kubeflow.org', version: 'v1beta1', resource: 'runs', templates: ['kfp-run'] },
      { group: 'tekton.dev', version: 'v1beta1', resource: 'customruns', templates: ['tekton-customrun'], replace: true },
    ];
    const objects = await helm.template({ rbac: { runKinds } });
    assert.deepEqual(only(objects, 'Role')['rules'], [
      { apiGroups: ['pipelines.kubeflow.org'], resources: ['runs'], verbs: ['create', 'get', 'list', 'watch'] },
      { apiGroups: ['tekton.dev'], resources: ['customruns'], verbs: ['create', 'get', 'list', 'watch', 'delete', 'patch'] },
    ]);
  });

  test('rbac.clusterWide: one ClusterRole and ClusterRoleBinding, no Role for runs', TIMEOUT, async () => {
    const objects = await helm.template({ rbac: { clusterWide: true } });
    assert.deepEqual(only(objects, 'ClusterRole', 'rb-runbridge-runs')['rules'], expectedRunRules(() => false));
    assert.deepEqual(only(objects, 'ClusterRoleBinding', 'rb-runbridge-runs')['subjects'], [{ kind: 'ServiceAccount', name: 'rb-runbridge', namespace: 'runbridge' }]);
    assert.equal(find(objects, 'Role'), undefined);
  });

  test('rbac.namespaces wins over the run configurations namespaces', TIMEOUT, async () => {
    const values = productionValues();
    values['rbac'] = { namespaces: ['pipelines'] };
    const objects = await helm.template(values);
    assert.deepEqual(objects.filter((o) => o.kind === 'Role' && o.metadata.name === 'rb-runbridge-runs').map((r) => r.metadata.namespace), ['pipelines']);
  });

  test('a file sink needs no RBAC and no token; leaderElection false removes the Lease role', TIMEOUT, async () => {
    const objects = await helm.template({ replicaCount: 2, config: { sink: { type: 'file' }, leaderElection: { enabled: false } } });
    assert.deepEqual(objects.filter((o) => o.kind.includes('Role')), []);
    assert.equal(only(objects, 'Deployment')['spec']['template']['spec']['automountServiceAccountToken'], false);
  });

  test('rbac.create false: no RBAC objects at all', TIMEOUT, async () => {
    const objects = await helm.template({ replicaCount: 3, rbac: { create: false } });
    assert.deepEqual(objects.filter((o) => o.kind.includes('Role')), []);
  });
});

describe('values the chart refuses', () => {
  const cases: { name: string; values: object; error: RegExp }[] = [
    { name: 'a negative replica count', values: { replicaCount: -1 }, error: /replicaCount/ },
    { name: 'an unknown top-level key', values: { replicas: 2 }, error: /replicas/ },
    { name: 'privilege escalation', values: { securityContext: { allowPrivilegeEscalation: true } }, error: /allowPrivilegeEscalation/ },
    { name: 'a privileged container', values: { securityContext: { privileged: true } }, error: /privileged/ },
    { name: 'running as root', values: { podSecurityContext: { runAsUser: 0 } }, error: /runAsUser/ },
    { name: 'a wildcard API group', values: { rbac: { runKinds: [{ group: '*', version: 'v1', resource: 'runs' }] } }, error: /group/ },
    { name: 'a wildcard resource', values: { rbac: { runKinds: [{ group: 'tekton.dev', version: 'v1', resource: '*' }] } }, error: /resource/ },
    { name: 'an unknown state store', values: { config: { state: { type: 'redis' } } }, error: /state/ },
    { name: 'an unknown log level', values: { config: { logLevel: 'verbose' } }, error: /logLevel/ },
    { name: 'an image digest that is not one', values: { image: { digest: 'latest' } }, error: /digest/ },
    { name: 'a run configuration without a template', values: { config: { runConfigurations: [{ name: 'x' }] } }, error: /template/ },
    { name: 'NATS state without servers', values: { config: { state: { type: 'nats' } } }, error: /needs config\.nats\.servers/ },
    { name: 'a grace period Kubernetes would cut short', values: { terminationGracePeriodSeconds: 20 }, error: /must be larger than preStopSleepSeconds \+ config\.shutdownGraceSeconds \(30\)/ },
    { name: 'an Ingress without the webhook', values: { ingress: { enabled: true }, config: { github: { enabled: false } } }, error: /needs a forge enabled \(config\.github\.enabled or forges\.<name>\.enabled\)/ },
  ];
  for (const c of cases) {
    test(c.name, TIMEOUT, async () => {
      await assert.rejects(helm.template(c.values), (error: Error) => {
        assert.match(error.message, /helm template failed/);
        assert.match(error.message, c.error);
        return true;
      });
    });
  }
});

/** Every forge besides GitHub enabled: GitLab with a generated secret and a rotation key, Gitea with an existing Secret. */
const FORGE_VALUES = {
  ingress: { enabled: true, host: 'hooks.acme.dev' },
  forges: {
    gitlab: { enabled: true, path: '/hooks/gitlab', secret: { value: '', existingSecret: '', key: 'webhook-secret', additionalKeys: ['next'] } },
    gitea: { enabled: true, path: '/webhooks/gitea', secret: { value: '', existingSecret: 'gitea-hook', key: 'token', additionalKeys: [] } },
    forgejo: { enabled: true, path: '/webhooks/forgejo', secret: { value: 'given', existingSecret: '', key: 'webhook-secret', additionalKeys: [] } },
    'bitbucket-cloud': { enabled: true, path: '/webhooks/bitbucket-cloud', secret: { value: '', existingSecret: '', key: 'webhook-secret', additionalKeys: [] } },
    'bitbucket-data-center': { enabled: true, path: '/webhooks/bitbucket-data-center', secret: { value: '', existingSecret: '', key: 'webhook-secret', additionalKeys: [] } },
  },
};

describe('every forge enabled', () => {
  let objects: Rendered[];
  before(async () => {
    objects = await helm.template(FORGE_VALUES);
  }, TIMEOUT);

  test('a Secret per enabled forge without an existingSecret (generated, or the given value)', () => {
    const secrets = objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name).sort();
    assert.deepEqual(secrets, ['rb-runbridge-bitbucket-cloud-webhook', 'rb-runbridge-bitbucket-data-center-webhook', 'rb-runbridge-forgejo-webhook', 'rb-runbridge-gitlab-webhook', 'rb-runbridge-webhook']);
    const forgejo = only(objects, 'Secret', 'rb-runbridge-forgejo-webhook');
    assert.equal(Buffer.from(String(forgejo['data']['webhook-secret']), 'base64').toString('utf8'), 'given');
    const gitlab = only(objects, 'Secret', 'rb-runbridge-gitlab-webhook');
    assert.match(Buffer.from(String(gitlab['data']['webhook-secret']), 'base64').toString('utf8'), /^[A-Za-z0-9]{40}$/);
  });

  test('each forge Secret is mounted read-only in its own folder, and the config reads every key from there', async () => {
    const pod = only(objects, 'Deployment')['spec']['template']['spec'];
    assert.deepEqual(pod['volumes'].find((v: any) => v.name === 'gitea-webhook-secret'), { name: 'gitea-webhook-secret', secret: { secretName: 'gitea-hook', defaultMode: 288 } });
    const mounts = pod['containers'][0]['volumeMounts'].filter((m: any) => m.name.endsWith('-webhook-secret'));
    assert.deepEqual(
      mounts.map((m: any) => [m.mountPath, m.readOnly]),
      ['bitbucket-cloud', 'bitbucket-data-center', 'forgejo', 'gitea', 'gitlab'].map((name) => [`/etc/runbridge/forges/${name}`, true]),
    );
    const { config } = await loadRendered(objects);
    assert.deepEqual(config.gitlab, { path: '/hooks/gitlab', secrets: [{ fromFile: '/etc/runbridge/forges/gitlab/webhook-secret' }, { fromFile: '/etc/runbridge/forges/gitlab/next' }], insecureSkipSignatureVerification: false });
    assert.deepEqual(config.gitea?.secrets, [{ fromFile: '/etc/runbridge/forges/gitea/token' }]);
    assert.equal(config['bitbucket-data-center']?.path, '/webhooks/bitbucket-data-center');
  });

  test("the Ingress routes each enabled forge's exact path, and nothing else", () => {
    const paths = only(objects, 'Ingress')['spec']['rules'][0]['http']['paths'].map((p: any) => `${p.pathType} ${p.path}`);
    assert.deepEqual(paths, [
      'Exact /webhooks/github',
      'Exact /webhooks/bitbucket-cloud',
      'Exact /webhooks/bitbucket-data-center',
      'Exact /webhooks/forgejo',
      'Exact /webhooks/gitea',
      'Exact /hooks/gitlab',
    ]);
  });
});
