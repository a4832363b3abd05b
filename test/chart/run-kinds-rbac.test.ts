/**
 * The chart's RBAC covers every run kind runbridge knows (src/runs/run-kinds.ts), rendered by the
 * real helm: the default `rbac.runKinds` lists each kind's group, version, resource and templates,
 * the Role grants create/get/list/watch on each, and a Replace schedule on a kind's template grants
 * the verb its cancel needs (patch for a kind stopped by a patch, delete for one that is deleted).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { RUN_KINDS } from '../../src/runs/run-kinds.ts';
import { CHART, createHelm, type Helm } from './helm.ts';
import { only } from './chart-values.ts';

const TIMEOUT = { timeout: 900_000 };
const values = parse(readFileSync(`${CHART}/values.yaml`, 'utf8')) as { rbac: { runKinds: { group: string; version: string; resource: string; templates?: string[] }[] } };

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

function verbsOn(rules: readonly Rule[], group: string, resource: string): string[] {
  return rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs);
}

let helm: Helm;
before(async () => {
  helm = await createHelm();
}, TIMEOUT);
after(() => helm?.close());

describe('chart RBAC and the run kind registry', () => {
  test('values.yaml rbac.runKinds lists exactly the known kinds, with their templates', () => {
    const listed = values.rbac.runKinds.map((k) => `${k.group}/${k.version} ${k.resource} [${(k.templates ?? []).join(', ')}]`).sort();
    const known = RUN_KINDS.map((k) => `${k.group}/${k.version} ${k.resource} [${k.templates.join(', ')}]`).sort();
    assert.deepEqual(listed, known);
  });

  test('the default Role grants create/get/list/watch on every known kind', TIMEOUT, async () => {
    const rules = only(await helm.template(), 'Role')['rules'] as Rule[];
    for (const kind of RUN_KINDS) {
      const verbs = verbsOn(rules, kind.group, kind.resource);
      for (const verb of ['create', 'get', 'list', 'watch']) assert.ok(verbs.includes(verb), `${verb} ${kind.resource}.${kind.group}: the chart does not grant it`);
    }
  });

  for (const kind of RUN_KINDS) {
    const needed = kind.cancel.by === 'patch' ? 'patch' : 'delete';
    test(`${kind.group}/${kind.version} ${kind.kind}: a Replace schedule on ${kind.templates.join(', ')} grants ${needed}, which its cancel needs`, TIMEOUT, async () => {
      const runConfigurations = kind.templates.map((template) => ({
        name: `replace-${template}`,
        namespace: 'ml',
        template,
        triggers: { schedules: [{ cron: '0 3 * * *', concurrencyPolicy: 'Replace' }] },
      }));
      const rules = only(await helm.template({ config: { runConfigurations } }), 'Role', undefined, 'ml')['rules'] as Rule[];
      assert.ok(verbsOn(rules, kind.group, kind.resource).includes(needed), `${needed} ${kind.resource}.${kind.group}`);
    });
  }
});
