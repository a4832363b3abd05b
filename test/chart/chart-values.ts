/**
 * Values the chart tests render and install: the chart's defaults, and a production-like set with
 * everything optional turned on, built from examples/quickstart.yaml's run configurations (one of
 * every shipped kind, in namespaces ml, ci and default) plus a user template.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Rendered } from './helm.ts';

const quickstart = parse(readFileSync(new URL('../../examples/quickstart.yaml', import.meta.url), 'utf8')) as {
  runConfigurations: Record<string, any>[];
};

/** A user template: the shipped Tekton CustomRun template under another name. */
export const USER_TEMPLATE = readFileSync(new URL('../../templates/tekton-customrun.yaml.hbs', import.meta.url), 'utf8');

export function productionValues(): Record<string, any> {
  const runConfigurations = structuredClone(quickstart.runConfigurations);
  const training = runConfigurations.find((rc) => rc['name'] === 'penguin-training')!;
  training['triggers'] = {
    ...training['triggers'],
    schedules: [{ cron: '0 3 * * *', timezone: 'Europe/London', concurrencyPolicy: 'Replace' }],
  };
  const imageBuild = runConfigurations.find((rc) => rc['name'] === 'image-build')!;
  imageBuild['triggers'] = { git: [{ repository: 'acme/app', events: ['push', 'pull_request'], branches: ['main'] }] };
  runConfigurations.push({ ...structuredClone(imageBuild), name: 'acme-build', template: 'acme-customrun' });
  return {
    replicaCount: 2,
    image: { tag: '0.1.0', digest: `sha256:${'ab'.repeat(32)}` },
    ingress: { enabled: true, className: 'nginx', host: 'runbridge.acme.dev', tls: [{ secretName: 'runbridge-tls' }] },
    podDisruptionBudget: { enabled: true },
    serviceMonitor: { enabled: true, labels: { release: 'prometheus' } },
    networkPolicy: { enabled: true, ingressNamespaceSelector: { 'kubernetes.io/metadata.name': 'ingress-nginx' }, monitoringNamespaceSelector: { 'kubernetes.io/metadata.name': 'monitoring' } },
    dashboard: { enabled: true },
    webhookSecret: { existingSecret: 'github-webhook', key: 'current', additionalKeys: ['previous'] },
    config: {
      logLevel: 'debug',
      shutdownGraceSeconds: 40,
      state: { type: 'nats', bucket: 'runbridge-prod', replicas: 3 },
      nats: { servers: ['nats://nats.nats:4222'], tokenSecret: { name: 'nats-token', key: 'token' } },
      runConfigurations,
    },
    templates: { 'acme-customrun': USER_TEMPLATE },
  };
}

export function find(objects: readonly Rendered[], kind: string, name?: string, namespace?: string): Rendered | undefined {
  return objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name) && (namespace === undefined || o.metadata.namespace === namespace));
}

export function only(objects: readonly Rendered[], kind: string, name?: string, namespace?: string): Rendered {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name) && (namespace === undefined || o.metadata.namespace === namespace));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}${namespace ? ` in ${namespace}` : ''}, found ${found.length}`);
  return found[0]!;
}

const RUN_KINDS = [
  ['pipelines.kubeflow.org', 'runs'],
  ['tekton.dev', 'customruns'],
  ['tekton.dev', 'runs'],
  ['openchoreo.dev', 'workflowruns'],
  ['batch.tensorstack.dev', 'workflowruns'],
  ['tekton.dev', 'pipelineruns'],
  ['argoproj.io', 'workflows'],
] as const;

/** The rules the chart must grant on the run kinds: `replace` says which resources also get delete/patch. */
export function expectedRunRules(replace: (group: string, resource: string) => boolean): object[] {
  return RUN_KINDS.map(([group, resource]) => ({
    apiGroups: [group],
    resources: [resource],
    verbs: ['create', 'get', 'list', 'watch', ...(replace(group, resource) ? ['delete', 'patch'] : [])],
  }));
}

export const LEASE_RULES = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['runbridge-scheduler'], verbs: ['get', 'update'] },
];
