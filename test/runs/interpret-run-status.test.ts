/**
 * Each kind's status as its engine writes it → running, succeeded or failed, with start and end,
 * message and results as artifacts; a kind without a descriptor is an error, never "running".
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UnknownRunKindError } from '../../src/errors.ts';
import { interpretRunStatus } from '../../src/runs/interpret-run-status.ts';
import type { RunStatus } from '../../src/runs/run-status.ts';

const start = '2025-03-01T02:00:00Z';
const end = '2025-03-01T02:41:12Z';
const condition = (type: string, status: string, message = `${type} ${status}`) => ({ type, status, reason: type, message, lastTransitionTime: end });

interface Case {
  readonly name: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly status: unknown;
  readonly expected: RunStatus;
}

const CASES: Case[] = [
  { name: 'KFP Run, no status yet', apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', status: undefined, expected: { phase: 'running', artifacts: [] } },
  { name: 'KFP Run succeeded', apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', status: { completionState: 'Succeeded' }, expected: { phase: 'succeeded', artifacts: [] } },
  { name: 'KFP Run failed', apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', status: { completionState: 'Failed' }, expected: { phase: 'failed', artifacts: [] } },
  {
    name: 'Tekton CustomRun succeeded with results',
    apiVersion: 'tekton.dev/v1beta1',
    kind: 'CustomRun',
    status: { conditions: [condition('Succeeded', 'True', 'done')], startTime: start, completionTime: end, results: [{ name: 'image', value: 'registry/app@sha256:0123' }] },
    expected: { phase: 'succeeded', artifacts: [{ name: 'image', location: 'registry/app@sha256:0123' }], startTime: start, endTime: end, message: 'done' },
  },
  { name: 'Tekton Run (v1alpha1) running', apiVersion: 'tekton.dev/v1alpha1', kind: 'Run', status: { conditions: [condition('Succeeded', 'Unknown', 'Running')] }, expected: { phase: 'running', artifacts: [], message: 'Running' } },
  { name: 'Tekton PipelineRun, no status yet', apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', status: {}, expected: { phase: 'running', artifacts: [] } },
  {
    name: 'Tekton PipelineRun running',
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    status: { conditions: [condition('Succeeded', 'Unknown', 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0')], startTime: start },
    expected: { phase: 'running', artifacts: [], startTime: start, message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0' },
  },
  {
    name: 'Tekton PipelineRun succeeded: string results are artifacts, array and object results are not',
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    status: {
      conditions: [condition('Succeeded', 'True', 'Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 0')],
      startTime: start,
      completionTime: end,
      results: [
        { name: 'image-digest', value: 'sha256:0123' },
        { name: 'image-url', value: 'registry.example/app:6113728' },
        { name: 'tags', value: ['latest', '6113728'] },
        { name: 'report', value: { passed: '12' } },
      ],
      childReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'build-and-push-run-clone', pipelineTaskName: 'clone' }],
    },
    expected: {
      phase: 'succeeded',
      artifacts: [
        { name: 'image-digest', location: 'sha256:0123' },
        { name: 'image-url', location: 'registry.example/app:6113728' },
      ],
      startTime: start,
      endTime: end,
      message: 'Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 0',
    },
  },
  {
    name: 'Tekton PipelineRun cancelled (Succeeded False, reason Cancelled)',
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    status: { conditions: [{ ...condition('Succeeded', 'False', 'PipelineRun "x" was cancelled'), reason: 'Cancelled' }], startTime: start, completionTime: end },
    expected: { phase: 'failed', artifacts: [], startTime: start, endTime: end, message: 'PipelineRun "x" was cancelled' },
  },
  { name: 'OpenChoreo WorkflowRun running', apiVersion: 'openchoreo.dev/v1alpha1', kind: 'WorkflowRun', status: { conditions: [condition('WorkflowRunning', 'True')] }, expected: { phase: 'running', artifacts: [] } },
  { name: 'OpenChoreo WorkflowRun failed', apiVersion: 'openchoreo.dev/v1alpha1', kind: 'WorkflowRun', status: { conditions: [condition('WorkflowCompleted', 'True'), condition('WorkflowFailed', 'True')] }, expected: { phase: 'failed', artifacts: [] } },
  { name: 'TensorStack WorkflowRun error', apiVersion: 'batch.tensorstack.dev/v1beta1', kind: 'WorkflowRun', status: { phase: 'Error', message: 'step train failed', completionTime: end }, expected: { phase: 'failed', artifacts: [], endTime: end, message: 'step train failed' } },
  { name: 'Argo Workflow pending', apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', status: { phase: 'Pending' }, expected: { phase: 'running', artifacts: [] } },
  { name: 'Argo Workflow running', apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', status: { phase: 'Running', startedAt: start, finishedAt: null, progress: '1/3' }, expected: { phase: 'running', artifacts: [], startTime: start } },
  {
    name: 'Argo Workflow succeeded: the workflow outputs.parameters are artifacts',
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    status: {
      phase: 'Succeeded',
      startedAt: start,
      finishedAt: end,
      progress: '3/3',
      outputs: { parameters: [{ name: 'model-uri', value: 'gs://bucket/models/17' }, { name: 'empty' }], artifacts: [{ name: 'log', s3: { key: 'x' } }] },
      nodes: { 'train-x': { phase: 'Succeeded', outputs: { parameters: [{ name: 'node-only', value: 'not a workflow output' }] } } },
    },
    expected: { phase: 'succeeded', artifacts: [{ name: 'model-uri', location: 'gs://bucket/models/17' }], startTime: start, endTime: end },
  },
  {
    name: 'Argo Workflow failed',
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    status: { phase: 'Failed', startedAt: start, finishedAt: end, message: 'Stopped with strategy \'Terminate\'' },
    expected: { phase: 'failed', artifacts: [], startTime: start, endTime: end, message: "Stopped with strategy 'Terminate'" },
  },
  { name: 'Argo Workflow error', apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', status: { phase: 'Error', message: 'invalid spec' }, expected: { phase: 'failed', artifacts: [], message: 'invalid spec' } },
];

describe('interpretRunStatus', () => {
  for (const c of CASES) {
    test(c.name, () => {
      assert.deepEqual(interpretRunStatus({ apiVersion: c.apiVersion, kind: c.kind, spec: {}, status: c.status }), c.expected);
    });
  }

  test('a kind is group/version/kind: the same kind name at another version or group is not it', () => {
    for (const [apiVersion, kind] of [
      ['tekton.dev/v1beta1', 'PipelineRun'],
      ['argoproj.io/v1alpha1', 'WorkflowTemplate'],
      ['example.dev/v1', 'Run'],
    ] as const) {
      assert.throws(
        () => interpretRunStatus({ apiVersion, kind, status: { phase: 'Succeeded' } }),
        (error: unknown) => {
          assert.ok(error instanceof UnknownRunKindError);
          assert.equal(error.status, 422);
          assert.match(error.message, new RegExp(`^runbridge cannot read the status of ${apiVersion.replace('.', '\\.')} ${kind} runs or stop them: not a run kind it knows \\(pipelines\\.kubeflow\\.org/v1beta1 Run, `));
          return true;
        },
      );
    }
  });
});
