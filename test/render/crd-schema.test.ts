/**
 * Offline check of the shipped templates' output against the upstream CRDs' openAPIV3Schema:
 * required fields, patterns and enums that can be checked simply. The expectations are read from
 * the CRDs in ../shared/crds when that folder exists (test names say which source was used);
 * without it, the same expectations are taken from the copies below. The proof against a real API
 * server is the integration test that installs test/crds into kube-apiserver.
 */
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { RunManifest } from '../../src/runs/run-manifest.ts';
import { isDns1123Label } from '../../src/render/kubernetes-names.ts';
import { renderRun } from '../../src/render/render-run.ts';
import { loadTemplates } from '../../src/render/template-registry.ts';
import { contextWith, GOLDEN_PARAMETERS, provenanceOf } from './render-fixtures.ts';

// The upstream CRDs, when the repository sits beside the project's shared/ folder (../shared/crds).
const SHARED_CRDS = process.env['RUNBRIDGE_UPSTREAM_CRDS'] ?? fileURLToPath(new URL('../../../shared/crds', import.meta.url));
const fromShared = existsSync(SHARED_CRDS);
const SOURCE = fromShared ? `CRDs in ${SHARED_CRDS}` : 'embedded copies of the CRD rules';

type Schema = { properties?: Record<string, Schema>; required?: string[]; pattern?: string; enum?: string[]; items?: Schema; type?: string; minLength?: number };

function crdSchema(file: string, version: string): Schema | undefined {
  if (!fromShared) return undefined;
  for (const doc of parseAllDocuments(readFileSync(`${SHARED_CRDS}/${file}`, 'utf8'))) {
    const crd = doc.toJS() as { spec: { versions: { name: string; schema?: { openAPIV3Schema: Schema } }[] } };
    const v = crd.spec.versions.find((x) => x.name === version);
    if (v?.schema) return v.schema.openAPIV3Schema;
  }
  throw new Error(`${file} has no schema for ${version}`);
}

const at = (schema: Schema | undefined, ...path: string[]): Schema | undefined =>
  path.reduce<Schema | undefined>((s, key) => (key === '[]' ? s?.items : s?.properties?.[key]), schema);

const kfp = crdSchema('kfp-operator.runs.pipelines.kubeflow.org.yaml', 'v1beta1');
const choreo = crdSchema('openchoreo.workflowruns.openchoreo.dev.yaml', 'v1alpha1');
const customRun = crdSchema('tekton.customruns.tekton.dev.yaml', 'v1beta1');
const pipelineRun = crdSchema('tekton.pipelineruns.tekton.dev.yaml', 'v1');

const RULES = {
  kfpProvider: at(kfp, 'spec', 'provider')?.pattern ?? '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  kfpPipeline: at(kfp, 'spec', 'pipeline')?.pattern ?? '^[\\w\\-]+(?::[\\w\\-_.]+)?$',
  kfpArtifactPath: at(kfp, 'spec', 'artifacts', '[]', 'path')?.pattern ?? '^([^\\[\\]:]+):([^\\[\\]:]+)(?::(\\d*))?(?:\\[([^\\[\\]:]+)\\])?$',
  kfpSpecRequired: at(kfp, 'spec')?.required ?? ['provider'],
  kfpSpecFields: Object.keys(at(kfp, 'spec')?.properties ?? { artifacts: 0, experimentName: 0, parameters: 0, pipeline: 0, provider: 0 }),
  choreoTtl: at(choreo, 'spec', 'ttlAfterCompletion')?.pattern ?? '^(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?$',
  choreoKinds: at(choreo, 'spec', 'workflow', 'kind')?.enum ?? ['Workflow', 'ClusterWorkflow'],
  choreoWorkflowRequired: at(choreo, 'spec', 'workflow')?.required ?? ['name'],
  choreoSpecRequired: at(choreo, 'spec')?.required ?? ['workflow'],
  choreoSpecFields: Object.keys(at(choreo, 'spec')?.properties ?? { ttlAfterCompletion: 0, workflow: 0 }),
  customRunSpecFields: Object.keys(at(customRun, 'spec')?.properties ?? {
    customRef: 0, customSpec: 0, params: 0, retries: 0, serviceAccountName: 0, status: 0, statusMessage: 0, timeout: 0, workspaces: 0,
  }),
  customRunParamRequired: at(customRun, 'spec', 'params', '[]')?.required ?? ['name', 'value'],
  pipelineRunSpecFields: Object.keys(at(pipelineRun, 'spec')?.properties ?? {
    managedBy: 0, params: 0, pipelineRef: 0, pipelineSpec: 0, status: 0, taskRunSpecs: 0, taskRunTemplate: 0, timeouts: 0, workspaces: 0,
  }),
  pipelineRunRefFields: Object.keys(at(pipelineRun, 'spec', 'pipelineRef')?.properties ?? { apiVersion: 0, name: 0, params: 0, resolver: 0 }),
  pipelineRunParamRequired: at(pipelineRun, 'spec', 'params', '[]')?.required ?? ['name', 'value'],
  pipelineRunWorkspaceRequired: at(pipelineRun, 'spec', 'workspaces', '[]')?.required ?? ['name'],
  pipelineRunTimeoutFields: Object.keys(at(pipelineRun, 'spec', 'timeouts')?.properties ?? { finally: 0, pipeline: 0, tasks: 0 }),
  pipelineRunTemplateFields: Object.keys(at(pipelineRun, 'spec', 'taskRunTemplate')?.properties ?? { podTemplate: 0, serviceAccountName: 0 }),
};

const registry = await loadTemplates([]);

/** Both the full and the required-parameters-only render of a shipped template. */
function renders(name: string): RunManifest[] {
  const template = registry.get(name);
  assert.ok(template, name);
  const full = contextWith();
  const minimal = contextWith(GOLDEN_PARAMETERS.filter((p) => template.requiredParams.has(p.name)), { artifacts: [] });
  return [renderRun(template, full, provenanceOf(full)), renderRun(template, minimal, provenanceOf(minimal))];
}

const spec = (m: RunManifest): Record<string, unknown> => m.spec as Record<string, unknown>;

function assertCommon(m: RunManifest, apiVersion: string, kind: string): void {
  assert.equal(m.apiVersion, apiVersion);
  assert.equal(m.kind, kind);
  assert.ok(isDns1123Label(m.metadata.name), m.metadata.name);
  assert.equal(m.metadata.generateName, undefined);
}

function assertNameValueList(list: unknown, required: readonly string[]): void {
  assert.ok(Array.isArray(list));
  for (const item of list as Record<string, unknown>[]) {
    for (const field of required) assert.equal(typeof item[field], 'string', `${field} of ${JSON.stringify(item)}`);
  }
}

describe(`shipped templates against the upstream schemas (${SOURCE})`, () => {
  test(`kfp-run: spec.provider required and "ns/name", pipeline and artifact paths match the CRD patterns (${SOURCE})`, () => {
    for (const m of renders('kfp-run')) {
      assertCommon(m, 'pipelines.kubeflow.org/v1beta1', 'Run');
      const s = spec(m);
      for (const field of RULES.kfpSpecRequired) assert.ok(field in s, `spec.${field} is required`);
      for (const field of Object.keys(s)) assert.ok(RULES.kfpSpecFields.includes(field), `spec.${field} is not in the CRD`);
      assert.match(String(s.provider), new RegExp(RULES.kfpProvider));
      assert.match(String(s.pipeline), new RegExp(RULES.kfpPipeline));
      if (s.parameters !== undefined) assertNameValueList(s.parameters, ['name', 'value']);
      for (const a of (s.artifacts ?? []) as { path: string }[]) assert.match(a.path, new RegExp(RULES.kfpArtifactPath));
    }
  });

  test(`openchoreo-workflowrun: workflow.name set, kind in the enum, ttl pattern, labels both or neither (${SOURCE})`, () => {
    for (const m of renders('openchoreo-workflowrun')) {
      assertCommon(m, 'openchoreo.dev/v1alpha1', 'WorkflowRun');
      const s = spec(m);
      for (const field of RULES.choreoSpecRequired) assert.ok(field in s, `spec.${field} is required`);
      for (const field of Object.keys(s)) assert.ok(RULES.choreoSpecFields.includes(field), `spec.${field} is not in the CRD`);
      const workflow = s.workflow as Record<string, unknown>;
      for (const field of RULES.choreoWorkflowRequired) assert.ok(workflow[field], `spec.workflow.${field} is required`);
      assert.ok(RULES.choreoKinds.includes(String(workflow.kind)));
      if (s.ttlAfterCompletion !== undefined) assert.match(String(s.ttlAfterCompletion), new RegExp(RULES.choreoTtl));
      for (const value of Object.values((workflow.parameters ?? {}) as Record<string, unknown>)) assert.equal(typeof value, 'string');
      const labels = m.metadata.labels ?? {};
      assert.equal('openchoreo.dev/component' in labels, 'openchoreo.dev/project' in labels, 'both labels or neither');
    }
  });

  test(`tekton-customrun: exactly one of customRef/customSpec, params {name, value} (${SOURCE})`, () => {
    for (const m of renders('tekton-customrun')) {
      assertCommon(m, 'tekton.dev/v1beta1', 'CustomRun');
      const s = spec(m);
      for (const field of Object.keys(s)) assert.ok(RULES.customRunSpecFields.includes(field), `spec.${field} is not in the CRD`);
      assert.equal(['customRef', 'customSpec'].filter((k) => k in s).length, 1);
      const ref = s.customRef as Record<string, unknown>;
      assert.equal(typeof ref.apiVersion, 'string');
      assert.equal(typeof ref.kind, 'string');
      if (s.params !== undefined) assertNameValueList(s.params, RULES.customRunParamRequired);
      if (s.retries !== undefined) assert.ok(Number.isInteger(s.retries), 'retries is an integer');
    }
  });

  test('tekton-run (v1alpha1): exactly one of ref/spec, params {name, value} (the CRD keeps unknown fields; rules from the Tekton v1alpha1 RunSpec)', () => {
    for (const m of renders('tekton-run')) {
      assertCommon(m, 'tekton.dev/v1alpha1', 'Run');
      const s = spec(m);
      assert.equal(['ref', 'spec'].filter((k) => k in s).length, 1);
      const ref = s.ref as Record<string, unknown>;
      assert.equal(typeof ref.apiVersion, 'string');
      assert.equal(typeof ref.kind, 'string');
      if (s.params !== undefined) assertNameValueList(s.params, ['name', 'value']);
      if (s.retries !== undefined) assert.ok(Number.isInteger(s.retries));
    }
  });

  test('tensorstack-workflowrun: workflowTemplateRef xor workflowTemplateSpec, params of strings (no public CRD; rules from its documentation)', () => {
    for (const m of renders('tensorstack-workflowrun')) {
      assertCommon(m, 'batch.tensorstack.dev/v1beta1', 'WorkflowRun');
      const s = spec(m);
      assert.equal(['workflowTemplateRef', 'workflowTemplateSpec'].filter((k) => k in s).length, 1);
      assert.equal(typeof s.workflowTemplateRef, 'string');
      if (s.params !== undefined) assertNameValueList(s.params, ['name', 'value']);
      for (const field of Object.keys(s)) {
        assert.ok(['workflowTemplateRef', 'workflowTemplateSpec', 'params', 'workspaces', 'serviceAccountName', 'timeout'].includes(field), field);
      }
    }
  });

  test(`tekton-pipelinerun (v1): pipelineRef by name, params {name, value}, workspaces named, timeouts and taskRunTemplate fields of the CRD (${SOURCE})`, () => {
    for (const m of renders('tekton-pipelinerun')) {
      assertCommon(m, 'tekton.dev/v1', 'PipelineRun');
      const s = spec(m);
      for (const field of Object.keys(s)) assert.ok(RULES.pipelineRunSpecFields.includes(field), `spec.${field} is not in the CRD`);
      assert.equal(['pipelineRef', 'pipelineSpec'].filter((k) => k in s).length, 1);
      const ref = s.pipelineRef as Record<string, unknown>;
      for (const field of Object.keys(ref)) assert.ok(RULES.pipelineRunRefFields.includes(field), `spec.pipelineRef.${field}`);
      assert.ok(isDns1123Label(String(ref.name)), 'a Pipeline name');
      if (s.params !== undefined) assertNameValueList(s.params, RULES.pipelineRunParamRequired);
      for (const w of (s.workspaces ?? []) as Record<string, unknown>[]) for (const field of RULES.pipelineRunWorkspaceRequired) assert.ok(w[field], `workspaces[].${field}`);
      for (const field of Object.keys((s.timeouts ?? {}) as object)) assert.ok(RULES.pipelineRunTimeoutFields.includes(field), `spec.timeouts.${field}`);
      for (const field of Object.keys((s.taskRunTemplate ?? {}) as object)) assert.ok(RULES.pipelineRunTemplateFields.includes(field), `spec.taskRunTemplate.${field}`);
    }
  });

  test('argo-workflow: workflowTemplateRef.name, arguments.parameters {name, value} (the minimal CRD keeps unknown fields; rules from Argo\'s WorkflowSpec)', () => {
    for (const m of renders('argo-workflow')) {
      assertCommon(m, 'argoproj.io/v1alpha1', 'Workflow');
      const s = spec(m);
      for (const field of Object.keys(s)) assert.ok(['workflowTemplateRef', 'entrypoint', 'arguments', 'serviceAccountName'].includes(field), field);
      assert.deepEqual(Object.keys(s.workflowTemplateRef as object), ['name']);
      assert.ok(isDns1123Label(String((s.workflowTemplateRef as Record<string, unknown>).name)));
      const args = (s.arguments ?? {}) as Record<string, unknown>;
      assert.deepEqual(Object.keys(args).filter((k) => k !== 'parameters'), []);
      if (args.parameters !== undefined) assertNameValueList(args.parameters, ['name', 'value']);
    }
  });
});
