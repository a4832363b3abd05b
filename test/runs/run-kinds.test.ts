/**
 * The run kind registry agrees with what ships beside it: every shipped template renders a kind
 * that has a descriptor naming that template, every descriptor's templates are shipped, and every
 * descriptor has its CRD under test/crds (same group, kind, resource, and its version served). The
 * chart's RBAC is checked against the registry in test/chart/run-kinds-rbac.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderRun } from '../../src/render/render-run.ts';
import { loadTemplates } from '../../src/render/template-registry.ts';
import { findRunKind, RUN_KINDS } from '../../src/runs/run-kinds.ts';
import { contextWith, GOLDEN_PARAMETERS, provenanceOf } from '../render/render-fixtures.ts';

const CRD_DIR = join(import.meta.dirname, '..', 'crds');

interface Crd {
  file: string;
  group: string;
  kind: string;
  plural: string;
  scope: string;
  served: string[];
}

const crds: Crd[] = readdirSync(CRD_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8')).map((doc) => {
      const crd = doc.toJS() as { spec: { group: string; scope: string; names: { kind: string; plural: string }; versions: { name: string; served: boolean }[] } };
      const { spec } = crd;
      return { file, group: spec.group, kind: spec.names.kind, plural: spec.names.plural, scope: spec.scope, served: spec.versions.filter((v) => v.served).map((v) => v.name) };
    }),
  );

const registry = await loadTemplates([]);

describe('run kind registry', () => {
  test('every shipped template renders a kind whose descriptor names it', () => {
    assert.ok(registry.names().length >= 7, registry.names().join(', '));
    for (const name of registry.names()) {
      const template = registry.get(name)!;
      const minimal = contextWith(GOLDEN_PARAMETERS.filter((p) => template.requiredParams.has(p.name)), { artifacts: [] });
      for (const ctx of [contextWith(), minimal]) {
        const run = renderRun(template, ctx, provenanceOf(ctx));
        const kind = findRunKind(run.apiVersion, run.kind);
        assert.ok(kind, `template ${name} renders ${run.apiVersion} ${run.kind}, which has no descriptor in src/runs/run-kinds.ts`);
        assert.ok(kind.templates.includes(name), `the descriptor of ${run.apiVersion} ${run.kind} does not list template ${name}`);
      }
    }
  });

  test("every descriptor's templates are shipped, each template belongs to one kind, and no kind is listed twice", () => {
    const owners = new Map<string, string>();
    const gvks = new Set<string>();
    for (const kind of RUN_KINDS) {
      const gvk = `${kind.group}/${kind.version}/${kind.kind}`;
      assert.ok(!gvks.has(gvk), `${gvk} is listed twice`);
      gvks.add(gvk);
      assert.ok(kind.templates.length > 0, `${gvk} has no shipped template`);
      for (const template of kind.templates) {
        assert.ok(registry.get(template), `${gvk} names template ${template}, which is not in templates/`);
        assert.equal(owners.get(template), undefined, `template ${template} is listed by ${owners.get(template)} and ${gvk}`);
        owners.set(template, gvk);
      }
    }
  });

  test('every descriptor has its CRD under test/crds: group, kind and resource, the version served, namespaced', () => {
    for (const kind of RUN_KINDS) {
      const crd = crds.find((c) => c.group === kind.group && c.kind === kind.kind);
      assert.ok(crd, `no CRD for ${kind.group} ${kind.kind} under test/crds`);
      assert.equal(crd.plural, kind.resource, `${crd.file}: resource`);
      assert.ok(crd.served.includes(kind.version), `${crd.file} does not serve ${kind.version} (serves ${crd.served.join(', ')})`);
      assert.equal(crd.scope, 'Namespaced', crd.file);
    }
  });
});
