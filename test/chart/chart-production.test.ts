/**
 * The chart's documented production setting (charts/runbridge/values-production.yaml), rendered by
 * the real helm: replicas sharing a JetStream intake and NATS KV state, a PodDisruptionBudget, a
 * rolling update that never goes below the replicas asked for, and a pod that stays in the
 * Service until readiness has turned false; the config it renders is one runbridge loads. And the
 * intake settings the chart refuses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { loadConfigText } from '../../src/config/load.ts';
import { createHelm, type Helm, type Rendered } from './helm.ts';
import { only } from './chart-values.ts';

const TIMEOUT = { timeout: 900_000 };
const production = parse(await readFile(new URL('../../charts/runbridge/values-production.yaml', import.meta.url), 'utf8')) as Record<string, any>;
const withServers = structuredClone(production);
withServers['config']['nats']['servers'] = ['nats://nats.nats:4222'];

let helm: Helm;
before(async () => {
  helm = await createHelm();
}, TIMEOUT);
after(() => helm?.close());

describe('production values file', () => {
  let objects: Rendered[];
  before(async () => {
    objects = await helm.template(withServers);
  }, TIMEOUT);

  test('three replicas, at most one away at a time, none down before its replacement is ready', () => {
    const deployment = only(objects, 'Deployment');
    assert.equal(deployment['spec']['replicas'], 3);
    assert.deepEqual(deployment['spec']['strategy']['rollingUpdate'], { maxUnavailable: 0, maxSurge: 1 });
    const pdb = only(objects, 'PodDisruptionBudget');
    assert.equal(pdb['spec']['maxUnavailable'], 1);
    assert.equal(pdb['spec']['minAvailable'], undefined);
  });

  test('a stopping pod keeps serving until the readiness probe has taken it out of the Service', () => {
    const pod = only(objects, 'Deployment')['spec']['template']['spec'];
    const container = pod['containers'][0];
    const sleep = container['lifecycle']['preStop']['sleep']['seconds'] as number;
    const readiness = container['readinessProbe'];
    assert.equal(readiness['httpGet']['path'], '/readyz');
    assert.ok(sleep > readiness['periodSeconds'] * readiness['failureThreshold'], `preStop ${sleep} s outlasts the readiness probe's ${readiness['periodSeconds'] * readiness['failureThreshold']} s`);
    assert.ok(pod['terminationGracePeriodSeconds'] > sleep + 25);
  });

  test('the config shares a JetStream intake and NATS KV state, with leader election for schedules, and loads', async () => {
    const text = String(only(objects, 'ConfigMap', 'rb-runbridge-config')['data']['config.yaml']);
    const { config } = await loadConfigText(text, { baseDir: '/tmp', fileName: 'config.yaml', env: {} });
    assert.deepEqual(config.intake, {
      type: 'jetstream',
      stream: 'RUNBRIDGE_INTAKE',
      subject: 'runbridge.intake',
      durable: 'runbridge-intake',
      duplicateWindowSeconds: 600,
      ackWaitSeconds: 30,
      replicas: 1,
      maxAgeHours: 24,
      maxPending: 10000,
      maxPendingBytes: 268435456,
      retry: { initialDelaySeconds: 1, maxDelaySeconds: 300 },
    });
    assert.equal(config.state.type, 'nats');
    assert.deepEqual(config.nats?.servers, ['nats://nats.nats:4222']);
    assert.equal(config.leaderElection?.enabled, true);
  });

  test('the default intake is a file intake on the pod volume', async () => {
    const defaults = await helm.template({});
    const text = String(only(defaults, 'ConfigMap', 'rb-runbridge-config')['data']['config.yaml']);
    const { config } = await loadConfigText(text, { baseDir: '/tmp', fileName: 'config.yaml', env: {} });
    assert.equal(config.intake.type, 'file');
    assert.equal(config.intake.type === 'file' && config.intake.directory, '/var/lib/runbridge/intake');
  });
});

describe('intake values the chart refuses', () => {
  const cases: { name: string; values: object; error: RegExp }[] = [
    { name: 'the production file without NATS servers', values: production, error: /needs config\.nats\.servers/ },
    {
      name: 'a JetStream intake over file state',
      values: { config: { intake: { type: 'jetstream' }, nats: { servers: ['nats://nats:4222'] } } },
      error: /config\.intake\.type jetstream needs config\.state\.type nats/,
    },
    { name: 'an unknown intake type', values: { config: { intake: { type: 'kafka' } } }, error: /intake/ },
    { name: 'a stream name with a dot', values: { config: { intake: { stream: 'a.b' } } }, error: /stream/ },
  ];
  for (const c of cases) {
    test(`refused: ${c.name}`, TIMEOUT, async () => {
      await assert.rejects(helm.template(c.values), c.error);
    });
  }
});
