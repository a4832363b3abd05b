// The git trigger rules on every forge's facts: `forges`, `forks`, and `paths` where a forge's
// payload cannot list every changed path (GitLab's 20 commits, Bitbucket's none).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ForgeName } from '../../src/config/schema.ts';
import { gitTriggerSchema } from '../../src/config/schema.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { compileGitTrigger, matchGitTrigger } from '../../src/triggers/git-trigger.ts';
import { WEBHOOK_SOURCES } from '../../src/sources/webhook/webhook-sources.ts';
import { loadForgeFixture, type Forge } from '../support/forge-fixture.ts';

async function eventOf(forge: ForgeName, folder: Forge, file: string): Promise<RunbridgeEvent> {
  const { headers, body } = await loadForgeFixture(folder, file);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const source = WEBHOOK_SOURCES[forge]([]);
  const payload = JSON.parse(body) as Record<string, unknown>;
  const events = source.toEvents(lower, payload, source.deliveryKey(lower, payload) ?? 'id', new Date(0));
  assert.ok(!('reply' in events));
  assert.equal(events.length, 1);
  return events[0];
}

function match(trigger: unknown, event: RunbridgeEvent) {
  const { compiled, issues } = compileGitTrigger(gitTriggerSchema.parse(trigger), 'git[0]');
  assert.deepEqual(issues, []);
  return matchGitTrigger(compiled, event);
}

test('forges: a trigger for GitHub does not take a GitLab push, and says why', async () => {
  const push = await eventOf('gitlab', 'gitlab', 'push.json');
  assert.deepEqual(match({ forges: ['github'] }, push), { matched: false, reason: 'forge gitlab not in [github]' });
  assert.equal(match({ forges: ['github', 'gitlab'] }, push).matched, true);
});

const forks: [ForgeName, Forge, string][] = [
  ['gitlab', 'gitlab', 'merge-request-opened-fork.json'],
  ['bitbucket-cloud', 'bitbucket-cloud', 'pullrequest-created-fork.json'],
  ['bitbucket-data-center', 'bitbucket-dc', 'pr-opened-fork.json'],
];
for (const [forge, folder, file] of forks) {
  test(`forks: ${forge} pull request from a fork runs only with forks: true`, async () => {
    const event = await eventOf(forge, folder, file);
    const refused = match({ events: ['pull_request'] }, event);
    assert.equal(refused.matched, false);
    assert.match(!refused.matched ? refused.reason : '', /comes from a fork \(set forks: true/);
    assert.equal(match({ events: ['pull_request'], forks: true }, event).matched, true);
  });
}

test('paths: GitLab push with more than 20 commits, no listed path matches → matches with a note', async () => {
  const event = await eventOf('gitlab', 'gitlab', 'push-over-20-commits.json');
  const result = match({ paths: ['nowhere/**'] }, event);
  assert.deepEqual(result, {
    matched: true,
    trigger: 'git[0]',
    note: "paths [nowhere/**] not checked: GitLab lists the first 20 of the push's 23 commits (no changed path matches [nowhere/**] (20 paths changed))",
  });
});

test('paths: GitLab push with every commit listed is checked as on GitHub', async () => {
  const event = await eventOf('gitlab', 'gitlab', 'push.json');
  assert.deepEqual(match({ paths: ['nowhere/**'] }, event), { matched: false, reason: 'no changed path matches [nowhere/**] (5 paths changed)' });
  assert.deepEqual(match({ paths: ['src/**'] }, event), { matched: true, trigger: 'git[0]' });
});

for (const [forge, folder, file, words] of [
  ['bitbucket-cloud', 'bitbucket-cloud', 'repo-push.json', 'Bitbucket Cloud push payloads list no changed files'],
  ['bitbucket-data-center', 'bitbucket-dc', 'repo-refs-changed.json', 'Bitbucket Data Center push payloads list no changed files'],
] as const) {
  test(`paths: ${forge} lists no files → a paths rule matches, the note says so`, async () => {
    const result = match({ paths: ['src/**'] }, await eventOf(forge, folder, file));
    assert.equal(result.matched, true);
    assert.match(result.matched ? (result.note ?? '') : '', new RegExp(`^paths \\[src/\\*\\*\\] not checked: ${words}`));
  });
}

test('Gitea: a deleted branch comes as a delete event only, and is the deletion includeDeletions asks for', async () => {
  const event = await eventOf('gitea', 'gitea', 'delete-branch.json');
  assert.deepEqual(match({}, event), { matched: false, reason: 'branch deletion (set includeDeletions to trigger on deletions)' });
  assert.equal(match({ includeDeletions: true }, event).matched, true);
});

test('Gitea: a tag fires once, on its push (the create event is ignored)', async () => {
  assert.equal(match({ events: ['tag'] }, await eventOf('gitea', 'gitea', 'push-tag.json')).matched, true);
  assert.equal(match({ events: ['tag'] }, await eventOf('gitea', 'gitea', 'create-tag.json')).matched, false);
});

test('pull request actions read the same on every forge (default: opened, synchronize, reopened)', async () => {
  const cases: [ForgeName, Forge, string, boolean][] = [
    ['gitlab', 'gitlab', 'merge-request-updated-commits.json', true],
    ['gitlab', 'gitlab', 'merge-request-updated-title.json', false],
    ['gitea', 'gitea', 'pull-request-synchronized.json', true],
    ['gitea', 'gitea', 'pull-request-closed.json', false],
    ['bitbucket-data-center', 'bitbucket-dc', 'pr-from-ref-updated.json', true],
    ['bitbucket-cloud', 'bitbucket-cloud', 'pullrequest-fulfilled.json', false],
  ];
  for (const [forge, folder, file, expected] of cases) {
    assert.equal(match({ events: ['pull_request'] }, await eventOf(forge, folder, file)).matched, expected, `${forge} ${file}`);
  }
  assert.equal(match({ events: ['pull_request'], actions: ['merged'] }, await eventOf('bitbucket-cloud', 'bitbucket-cloud', 'pullrequest-fulfilled.json')).matched, true);
});

test('load-time warnings: forks without pull_request events, paths on forges that list no files', () => {
  const warnings = (trigger: unknown) => compileGitTrigger(gitTriggerSchema.parse(trigger), 'git[0]').warnings.map((w) => `${w.path}: ${w.message}`);
  assert.deepEqual(warnings({ events: ['push'], forks: true }), ['git[0].forks: forks applies only to pull_request events; this trigger has none']);
  assert.deepEqual(warnings({ forges: ['bitbucket-cloud'], paths: ['src/**'] }), [
    'git[0].paths: bitbucket-cloud list no changed files: this paths rule is never checked, every push matches it (with a note)',
  ]);
  assert.deepEqual(warnings({ forges: ['bitbucket-cloud', 'github'], paths: ['src/**'] }), []);
});
