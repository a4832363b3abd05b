// The answer to a delivery of several events: the worst part decides (dead > pending > done), the
// body lists every part with its ref, and a redelivery is a duplicate only when every part is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DispatchOutcome } from '../../src/dispatch/dispatch-outcome.ts';
import type { Submitted } from '../../src/intake/create-intake.ts';
import { combinedIntakeResponse, type IntakePart } from '../../src/server/combined-intake-response.ts';

const KEY = 'bitbucket-data-center:11215d97-8763-4e59-adb4-a5ea9fce01d5';
const TYPE = 'bitbucket-data-center.repo:refs_changed';

function part(ref: string, submitted: (id: string) => Submitted<DispatchOutcome>): IntakePart {
  const id = `${KEY}/${ref}`;
  return { submitted: submitted(id), event: { id, type: TYPE, git: { provider: 'bitbucket-data-center', event: 'repo:refs_changed', kind: 'push', viaPush: true, repository: 'ACME/shop', ref, deleted: false, created: false } } };
}

const created = (id: string): Submitted<DispatchOutcome> => ({
  state: 'done',
  duplicate: false,
  answer: {
    eventId: id,
    eventType: TYPE,
    source: 'bitbucket-data-center',
    matched: [{ runConfiguration: 'ci/build', trigger: 'git[0]', run: { apiVersion: 'pipelines.kubeflow.org/v1beta1', kind: 'Run', namespace: 'ci', name: 'build-1', created: true, dryRun: false, location: 'x' } }],
    skipped: [],
  },
});
const nothing = (id: string): Submitted<DispatchOutcome> => ({
  state: 'done',
  duplicate: true,
  answer: { eventId: id, eventType: TYPE, source: 'bitbucket-data-center', matched: [], skipped: [{ runConfiguration: 'ci/release', reason: 'git[0]: event push not in [tag]' }] },
});
const pending = (id: string): Submitted<DispatchOutcome> => ({
  state: 'pending',
  duplicate: false,
  record: { id: `bitbucket-data-center:${id}`, kind: 'dispatch', state: 'pending', acceptedAt: '2026-11-25T08:00:00.000Z', attempts: 1, reason: 'API server unavailable' },
});
const dead = (id: string): Submitted<DispatchOutcome> => ({
  state: 'dead',
  duplicate: false,
  record: { id: `bitbucket-data-center:${id}`, kind: 'dispatch', state: 'dead', acceptedAt: '2026-11-25T08:00:00.000Z', attempts: 1, reason: 'parameter commit is not set', status: 422 },
});

test('every part done → 200, the runs and skips of all of them, one message naming each ref', () => {
  const { status, body } = combinedIntakeResponse(KEY, [part('refs/heads/main', created), part('refs/tags/v1.1.0', nothing)]);
  assert.equal(status, 200);
  assert.equal(body.state, 'done');
  assert.equal(body.eventId, KEY);
  assert.equal(body.eventType, TYPE);
  assert.equal(body.message, '2 ref changes: refs/heads/main: 1 run created; refs/tags/v1.1.0: no run configuration matched');
  assert.deepEqual(body.runs.map((r) => r.runConfiguration), ['ci/build']);
  assert.deepEqual(body.skipped.map((s) => s.runConfiguration), ['ci/release']);
  assert.deepEqual(body.parts.map((p) => [p.ref, p.eventId, p.state]), [
    ['refs/heads/main', `${KEY}/refs/heads/main`, 'done'],
    ['refs/tags/v1.1.0', `${KEY}/refs/tags/v1.1.0`, 'done'],
  ]);
});

test('a part still pending → 202 for the delivery, its intake id in its part', () => {
  const { status, body } = combinedIntakeResponse(KEY, [part('refs/heads/main', created), part('refs/tags/v1.1.0', pending)]);
  assert.equal(status, 202);
  assert.equal(body.state, 'pending');
  assert.equal(body.parts[1]?.intakeId, `bitbucket-data-center:${KEY}/refs/tags/v1.1.0`);
  assert.equal(body.parts[1]?.reason, 'API server unavailable');
});

test('a dead letter outweighs a pending part: its 4xx', () => {
  const { status, body } = combinedIntakeResponse(KEY, [part('refs/heads/main', pending), part('refs/heads/dev', dead), part('refs/tags/v1.1.0', created)]);
  assert.equal(status, 422);
  assert.equal(body.state, 'dead');
  assert.match(body.message, /^3 ref changes: refs\/heads\/main: stored: .*; refs\/heads\/dev: not processed: parameter commit is not set; kept as a dead letter/);
});

test('a duplicate only when every part is one', () => {
  assert.equal(combinedIntakeResponse(KEY, [part('refs/heads/main', nothing), part('refs/heads/dev', nothing)]).body.duplicate, true);
  assert.equal(combinedIntakeResponse(KEY, [part('refs/heads/main', nothing), part('refs/heads/dev', created)]).body.duplicate, false);
});
