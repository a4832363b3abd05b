import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultRunName, findSubmission, recordSubmission, runIndexKey, submissionKey, submissionKeys, type SubmissionRecord } from '../../src/dispatch/submission-record.ts';
import { mapStore } from '../support/map-store.ts';

const RC = 'ml/trainer';

function submission(eventId: string, name = defaultRunName(eventId, RC), namespace = 'ml'): SubmissionRecord {
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
  await recordSubmission(store, record, defaultRunName(record.eventId, RC));
  assert.deepEqual(await store.keys(''), [runIndexKey('ml', record.run.name)]);
  assert.equal(store.puts, 1);
  assert.deepEqual(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), record);
  assert.deepEqual((await store.get(runIndexKey('ml', record.run.name)))?.value, record);
  assert.equal(await findSubmission(store, 'e-2', RC, defaultRunName('e-2', RC)), undefined);
  assert.equal(await findSubmission(store, 'e-1', 'ml/other', defaultRunName('e-1', 'ml/other')), undefined);
});

test('the lookup and the record agree on the keys of the default name', async () => {
  const store = mapStore();
  const record = submission('e-1');
  assert.equal(record.run.name, defaultRunName('e-1', RC));
  assert.equal(await findSubmission(store, 'e-1', RC, record.run.name), undefined);
  await recordSubmission(store, record, record.run.name);
  assert.deepEqual(await store.keys(''), [submissionKeys('e-1', RC, record.run.name)[0]]);
  const named = submission('e-2', 'picked-by-template');
  await recordSubmission(store, named, defaultRunName('e-2', RC));
  assert.deepEqual((await store.get(submissionKeys('e-2', RC, defaultRunName('e-2', RC))[1]))?.value, named, 'a run named otherwise is also recorded by event');
  assert.deepEqual(await findSubmission(store, 'e-2', RC, defaultRunName('e-2', RC)), named);
});

test('a run the template named: found by event and by run', async () => {
  const store = mapStore();
  const record = submission('e-1', 'nightly-build');
  await recordSubmission(store, record, defaultRunName(record.eventId, RC));
  assert.deepEqual((await store.keys('')).sort(), [runIndexKey('ml', 'nightly-build'), submissionKey('e-1', RC)].sort());
  assert.deepEqual(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), record);
  assert.deepEqual((await store.get(runIndexKey('ml', 'nightly-build')))?.value, record);
});

test('a cluster-scoped run is found by event', async () => {
  const store = mapStore();
  const record = submission('e-1', defaultRunName('e-1', RC), '');
  await recordSubmission(store, record, defaultRunName(record.eventId, RC));
  assert.deepEqual(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), record);
});

test('a second event naming the same run: the run keeps its first record, the second is found by its event', async () => {
  const store = mapStore();
  const first = submission('e-1', 'nightly-build');
  const second = submission('e-2', 'nightly-build');
  await recordSubmission(store, first, defaultRunName(first.eventId, RC));
  await recordSubmission(store, second, defaultRunName(second.eventId, RC));
  assert.deepEqual((await store.get(runIndexKey('ml', 'nightly-build')))?.value, first);
  assert.deepEqual(await findSubmission(store, 'e-2', RC, defaultRunName('e-2', RC)), second);
});

test("a record under this event's run name that is another submission's is not taken for it", async () => {
  const store = mapStore();
  const name = defaultRunName('e-1', RC);
  const other = { ...submission('e-9', name), runConfiguration: 'ml/other' };
  await recordSubmission(store, other, defaultRunName(other.eventId, RC));
  assert.equal(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), undefined);
  const mine = submission('e-1');
  await recordSubmission(store, mine, defaultRunName(mine.eventId, RC));
  assert.deepEqual(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), mine);
});

test('records of the earlier layout (both keys for every run) are found', async () => {
  const store = mapStore();
  const record = submission('e-1');
  await store.put(submissionKey('e-1', RC), record, 0);
  await store.put(runIndexKey('ml', record.run.name), record, 0);
  assert.deepEqual(await findSubmission(store, 'e-1', RC, defaultRunName('e-1', RC)), record);
  const named = submission('e-2', 'nightly-build');
  await store.put(submissionKey('e-2', RC), named, 0);
  assert.deepEqual(await findSubmission(store, 'e-2', RC, defaultRunName('e-2', RC)), named);
});

test('the same submission recorded concurrently (a redelivery, another replica): no error, one record', async () => {
  const store = mapStore();
  const record = submission('e-1');
  await Promise.all([recordSubmission(store, record, defaultRunName(record.eventId, RC)), recordSubmission(store, record, defaultRunName(record.eventId, RC)), recordSubmission(store, record, defaultRunName(record.eventId, RC))]);
  assert.deepEqual(await store.keys(''), [runIndexKey('ml', record.run.name)]);
});
