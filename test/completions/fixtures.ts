/** Run-completion messages as KFP-Operator and other senders write them, for the completion tests. */
import type { RunCompletion } from '../../src/events/event.ts';

export const RUN_COMPLETION = 'org.kubeflow.pipelines.run-completion';

/** `data` of a KFP-Operator run completion (seed 003, current field set). */
export function completionData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provider: 'kfp-operator/vertex',
    status: 'succeeded',
    pipelineName: 'penguin-pipeline',
    runConfigurationName: 'ml/example-generator',
    runName: 'ml/example-generator-x7k2p',
    runId: '6f1d2c4e-8a0b-4c55-9a51-3d2f0e1b7c90',
    runStartTime: '2025-03-01T02:00:00Z',
    runEndTime: '2025-03-01T02:41:12Z',
    servingModelArtifacts: [{ name: 'penguin-pipeline:wf-1:Pusher:pushed_model:0', location: 'gs://bucket/Pusher/pushed_model/1' }],
    artifacts: [{ name: 'examples', location: 'gs://bucket/penguin/examples/17' }],
    ...overrides,
  };
}

/** The full structured CloudEvent (the envelope KFP-Operator's documentation shows). */
export function structuredEnvelope(id: string, data: unknown = completionData(), overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    specversion: '1.0',
    source: 'kfp-operator/vertex',
    type: RUN_COMPLETION,
    datacontenttype: 'application/json',
    time: '2025-03-01T02:41:13Z',
    data,
    ...overrides,
  };
}

/** Binary mode: attributes as `ce-*` headers, the data as the body. */
export function binaryHeaders(id: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'ce-id': id,
    'ce-specversion': '1.0',
    'ce-source': 'kfp-operator/vertex',
    'ce-type': RUN_COMPLETION,
    'ce-time': '2025-03-01T02:41:13Z',
    'content-type': 'application/json',
    ...overrides,
  };
}

/** What completionData() becomes once parsed. */
export const EXPECTED_COMPLETION: RunCompletion = {
  status: 'succeeded',
  provider: 'kfp-operator/vertex',
  pipelineName: 'penguin-pipeline',
  runConfigurationName: 'ml/example-generator',
  runName: 'ml/example-generator-x7k2p',
  runId: '6f1d2c4e-8a0b-4c55-9a51-3d2f0e1b7c90',
  runStartTime: '2025-03-01T02:00:00Z',
  runEndTime: '2025-03-01T02:41:12Z',
  artifacts: [{ name: 'examples', location: 'gs://bucket/penguin/examples/17' }],
};
