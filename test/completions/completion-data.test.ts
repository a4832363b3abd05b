import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionDataSchema, parseCompletionData } from '../../src/sources/completions/completion-data.ts';
import { CompletionRejectedError } from '../../src/sources/completions/completion-rejected-error.ts';

/** What the schema alone makes of `data` (the RunCompletion fields in their order), for comparison. */
function throughSchema(data: unknown): unknown {
  const d = completionDataSchema.parse(data);
  const out: Record<string, unknown> = { status: d.status };
  for (const field of ['provider', 'pipelineName', 'runConfigurationName', 'runName', 'runId', 'runStartTime', 'runEndTime'] as const) {
    if (d[field] !== undefined && d[field] !== null) out[field] = d[field];
  }
  out['artifacts'] = (d.artifacts ?? []).map(({ name, location }) => ({ name, location }));
  if (d.componentOutputs) out['componentOutputs'] = d.componentOutputs;
  return out;
}

const kfp = {
  status: 'succeeded',
  provider: 'kfp-operator/vertex-ai',
  pipelineName: 'penguin-pipeline',
  runConfigurationName: 'default/trainer',
  runName: 'trainer-1',
  runId: 'trainer-1-id',
  runStartTime: '2026-01-15T00:00:00.000Z',
  runEndTime: '2026-01-15T00:00:01.000Z',
  artifacts: [{ name: 'out', location: 's3://bench/1', extra: 1 }],
};

const accepted: Record<string, unknown>[] = [
  kfp,
  { status: 'failed' },
  { status: 'failed', artifacts: null, runId: null, provider: undefined },
  { ...kfp, servingModelArtifacts: [{ name: 'model', location: 'gs://m' }], unknown: { deep: true } },
  { ...kfp, servingModelArtifacts: null, componentOutputs: null, artifacts: [] },
  { ...kfp, runName: '', artifacts: [{ name: 'a', location: '' }, { location: 'x', name: 'b' }] },
  { ...kfp, componentOutputs: [{ componentName: 'c', outputName: 'o', artifacts: [{ name: 'n', location: 'l', metadata: { k: 1 } }] }] },
];

test('every accepted form gives what the schema gives, field for field and in the same order', () => {
  for (const data of accepted) {
    const parsed = parseCompletionData(data);
    assert.deepEqual(parsed, throughSchema(data));
    assert.equal(JSON.stringify(parsed), JSON.stringify(throughSchema(data)));
  }
});

test('the artifacts are copies holding only name and location', () => {
  const parsed = parseCompletionData(kfp);
  assert.notEqual(parsed.artifacts[0], kfp.artifacts[0]);
  assert.deepEqual(parsed.artifacts, [{ name: 'out', location: 's3://bench/1' }]);
});

const rejected: unknown[] = [
  { status: 'done' },
  { ...kfp, status: undefined },
  { ...kfp, runId: 7 },
  { ...kfp, runName: ['x'] },
  { ...kfp, artifacts: {} },
  { ...kfp, artifacts: [{ name: '', location: 'x' }] },
  { ...kfp, artifacts: [{ name: 'a' }] },
  { ...kfp, artifacts: [['a', 'b']] },
  { ...kfp, artifacts: [null] },
  { ...kfp, servingModelArtifacts: [{ name: 'm', location: 3 }] },
  { ...kfp, servingModelArtifacts: 'gs://m' },
  { ...kfp, componentOutputs: [{ componentName: '', outputName: 'o', artifacts: [] }] },
];

test('whatever the schema refuses is refused with its problems', () => {
  for (const data of rejected) {
    assert.equal(completionDataSchema.safeParse(data).success, false, JSON.stringify(data));
    assert.throws(() => parseCompletionData(data), (error: unknown) => error instanceof CompletionRejectedError && error.reason === 'invalid_data' && /^data\./.test(error.message));
  }
});
