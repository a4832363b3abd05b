import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSubmission, recordSubmission, runIndexKey, submissionKey, submissionKeys, type SubmissionRecord } from '../../src/dispatch/submission-record.ts';
import { runName } from '../../src/render/run-name.ts';
import { mapStore } from '../support/map-store.ts';

const RC = 'ml/trainer';

function submission(eventId: string, name = runName('trainer', RC, eventId), namespace = 'ml'): SubmissionRecord {
  return {
    eventId,
    runConfiguration: RC,
    trigger: 'git[0]',
    run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace, name, created: true, dryRun: false, location: `runs/${name}.yaml` },
    submittedAt: '2026-01-01T00:00:00.000Z',
  };
}

test('a run named by runbridge: one record, under the run, found by event and by run', async () => {
  const store = mapStore();
  const record = submission('e-1');
  await recordSubmission(store, record);
  assert.deepEqual(await store.keys(''), [runIndexKey('ml', record.run.name)]);
  assert.equal(store.puts, 1);
  assert.deepEqual(await findSubmission(store, 'e-1', RC), record);
  assert.deepEqual((await store.get(runIndexKey('ml', record.run.name)))?.value, record);
  assert.equal(await findSubmission(store, 'e-2', RC), undefined);
  assert.equal(await findSubmission(store, 'e-1', 'ml/other'), undefined);
  assert.deepEqual(submissionKeys('e-1', RC, record.run.name), submissionKeys('e-1', RC), 'the name a caller passes is the one computed');
  assert.deepEqual(await findSubmission(store, 'e-1', RC, record.run.name), record);
});

test('keys the caller computed once serve both the lookup and the record', async () => {
  const store = mapStore();
  const record = submission('e-1');
  const keys = submissionKeys('e-1', RC, record.run.name);
  assert.equal(await findSubmission(store, 'e-1', RC, record.run.name, keys), undefined);
  await recordSubmission(store, record, record.run.name, keys);
  assert.deepEqual(await store.keys(''), [runIndexKey('ml', record.run.name)]);
  assert.deepEqual(await findSubmission(store, 'e-1', RC, record.run.name, keys), record);
  assert.deepEqual(await findSubmission(store, 'e-1', RC), record);
  const named = submission('e-2', 'picked-by-template');
  const namedKeys = submissionKeys('e-2', RC);
  await recordSubmission(store, named, undefined, namedKeys);
  assert.deepEqual((await store.get(namedKeys[1]))?.value, named, 'a run named otherwise is also recorded by event');
  assert.deepEqual(await findSubmission(store, 'e-2', RC, undefined, namedKeys), named);
});

test('a run the template named: found by event and by run', async () => {
  const store = mapStore();
  const record = submission('e-1', 'nightly-build');
  await recordSubmission(store, record);
  assert.deepEqual((await store.keys('')).sort(), [runIndexKey('ml', 'nightly-build'), submissionKey('e-1', RC)].sort());
  assert.deepEqual(await findSubmission(store, 'e-1', RC), record);
  assert.deepEqual((await store.get(runIndexKey('ml', 'nightly-build')))?.value, record);
});

test('a cluster-scoped run is found by event', async () => {
  const store = mapStore();
  const record = submission('e-1', runName('trainer', RC, 'e-1'), '');
  await recordSubmission(store, record);
  assert.deepEqual(await findSubmission(store, 'e-1', RC), record);
});

test('a second event naming the same run: the run keeps its first record, the second is found by its event', async () => {
  const store = mapStore();
  const first = submission('e-1', 'nightly-build');
  const second = submission('e-2', 'nightly-build');
  await recordSubmission(store, first);
  await recordSubmission(store, second);
  assert.deepEqual((await store.get(runIndexKey('ml', 'nightly-build')))?.value, first);
  assert.deepEqual(await findSubmission(store, 'e-2', RC), second);
});

test("a record under this event's run name that is another submission's is not taken for it", async () => {
  const store = mapStore();
  const name = runName('trainer', RC, 'e-1');
  const other = { ...submission('e-9', name), runConfiguration: 'ml/other' };
  await recordSubmission(store, other);
  assert.equal(await findSubmission(store, 'e-1', RC), undefined);
  const mine = submission('e-1');
  await recordSubmission(store, mine);
  assert.deepEqual(await findSubmission(store, 'e-1', RC), mine);
});

test('records of the earlier layout (both keys for every run) are found', async () => {
  const store = mapStore();
  const record = submission('e-1');
  await store.put(submissionKey('e-1', RC), record, 0);
  await store.put(runIndexKey('ml', record.run.name), record, 0);
  assert.deepEqual(await findSubmission(store, 'e-1', RC), record);
  const named = submission('e-2', 'nightly-build');
  await store.put(submissionKey('e-2', RC), named, 0);
  assert.deepEqual(await findSubmission(store, 'e-2', RC), named);
});

test('the same submission recorded concurrently (a redelivery, another replica): no error, one record', async () => {
  const store = mapStore();
  const record = submission('e-1');
  await Promise.all([recordSubmission(store, record), recordSubmission(store, record), recordSubmission(store, record)]);
  assert.deepEqual(await store.keys(''), [runIndexKey('ml', record.run.name)]);
});
