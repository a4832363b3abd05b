import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { gitTriggerSchema } from '../../src/config/schema.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { compileGitTrigger, matchGitTrigger } from '../../src/triggers/git-trigger.ts';
import { compileWhen } from '../../src/triggers/when-expression.ts';
import { PULL_REQUEST_PATHS_EXPLANATION, PULL_REQUEST_PATHS_REASON } from '../../src/triggers/git-trigger-policy.ts';
import { deliver, payloads, type Payload } from '../events/github-examples.ts';

const PATH = 'runConfigurations[0].triggers.git[0]';
type TriggerInput = z.input<typeof gitTriggerSchema>;

function compile(input: TriggerInput) {
  return compileGitTrigger(gitTriggerSchema.parse(input), PATH, { compileWhen });
}

function compiled(input: TriggerInput) {
  const result = compile(input);
  assert.deepEqual(result.issues, []);
  return result.compiled;
}

const withCommits = (paths: string[][]): Payload => {
  const payload = payloads.branchPush();
  payload.commits = paths.map((added, index) => ({ id: `c${index}`, added, modified: [], removed: [] }));
  return payload;
};

const events = {
  branchPush: () => deliver('push', payloads.branchPush()),
  tagPush: () => deliver('push', payloads.tagPush()),
  tagDeletion: () => deliver('push', payloads.tagDeletion()),
  branchDeletion: () => deliver('push', payloads.branchDeletion()),
  notesPush: () => deliver('push', { ...payloads.branchPush(), ref: 'refs/notes/commits' }),
  pushWithoutFiles: () => {
    const payload = payloads.branchPush();
    delete payload.commits;
    delete payload.head_commit;
    return deliver('push', payload);
  },
  pushOf: (paths: string[][]) => () => deliver('push', withCommits(paths)),
  pullRequest: (action: string) => () => deliver('pull_request', payloads.pullRequest(action)),
  merged: () => deliver('pull_request', payloads.pullRequestMerged()),
  release: (action: string) => () => deliver('release', payloads.release(action)),
  createTag: () => deliver('create', payloads.createTag()),
  deleteTag: () => deliver('delete', payloads.deleteTag()),
  createBranch: () => deliver('create', payloads.createBranch()),
  ping: () => deliver('ping', payloads.ping()),
  issues: () => deliver('issues', payloads.issues()),
};

const DEFAULT_PR_ACTIONS = '[opened, synchronize, reopened]';

const cases: { name: string; trigger: TriggerInput; event: () => RunbridgeEvent; expected: true | string }[] = [
  // events
  { name: 'push matches the default trigger', trigger: {}, event: events.branchPush, expected: true },
  { name: 'pull_request is not a push', trigger: {}, event: events.pullRequest('opened'), expected: 'event pull_request not in [push]' },
  { name: 'a tag push is not a push', trigger: {}, event: events.tagPush, expected: 'event tag not in [push]' },
  { name: 'a tag push matches tag', trigger: { events: ['tag'] }, event: events.tagPush, expected: true },
  {
    name: 'create of a tag is ignored by tag triggers',
    trigger: { events: ['tag'] },
    event: events.createTag,
    expected: "create delivery of tag simple-tag ignored: tag triggers fire on the tag's push delivery",
  },
  {
    name: 'delete of a tag is ignored by tag triggers, even with deletions',
    trigger: { events: ['tag'], includeDeletions: true },
    event: events.deleteTag,
    expected: "delete delivery of tag simple-tag ignored: tag triggers fire on the tag's push delivery",
  },
  { name: 'create of a tag is not a push', trigger: {}, event: events.createTag, expected: 'event create not in [push]' },
  { name: 'create of a branch is not a push', trigger: { events: ['push', 'tag'] }, event: events.createBranch, expected: 'event create not in [push, tag]' },
  {
    name: 'a push of another ref kind',
    trigger: {},
    event: events.notesPush,
    expected: 'push of refs/notes/commits is neither a branch nor a tag push',
  },
  { name: 'ping never triggers', trigger: {}, event: events.ping, expected: 'event ping not in [push]' },
  { name: 'other events name themselves', trigger: { events: ['push', 'pull_request'] }, event: events.issues, expected: 'event issues not in [push, pull_request]' },
  // repository
  { name: 'repository mismatch', trigger: { repository: 'acme/widgets' }, event: events.branchPush, expected: 'repository Codertocat/Hello-World does not match acme/widgets' },
  {
    name: 'repository list mismatch',
    trigger: { repository: ['acme/widgets', 'acme/gadgets'] },
    event: events.branchPush,
    expected: 'repository Codertocat/Hello-World does not match [acme/widgets, acme/gadgets]',
  },
  { name: 'repository glob, case-insensitive', trigger: { repository: 'codertocat/*' }, event: events.branchPush, expected: true },
  { name: 'repository negation', trigger: { repository: ['!Codertocat/Hello-World'] }, event: events.branchPush, expected: 'repository Codertocat/Hello-World does not match [!Codertocat/Hello-World]' },
  // deletions
  { name: 'branch deletion is skipped', trigger: {}, event: events.branchDeletion, expected: 'branch deletion (set includeDeletions to trigger on deletions)' },
  { name: 'branch deletion with includeDeletions', trigger: { includeDeletions: true, branches: ['feature/*'] }, event: events.branchDeletion, expected: true },
  { name: 'tag deletion is skipped', trigger: { events: ['tag'] }, event: events.tagDeletion, expected: 'tag deletion (set includeDeletions to trigger on deletions)' },
  { name: 'tag deletion with includeDeletions', trigger: { events: ['tag'], includeDeletions: true }, event: events.tagDeletion, expected: true },
  // pull request actions
  { name: 'pull_request opened (default actions)', trigger: { events: ['pull_request'] }, event: events.pullRequest('opened'), expected: true },
  { name: 'pull_request synchronize (default actions)', trigger: { events: ['pull_request'] }, event: events.pullRequest('synchronize'), expected: true },
  { name: 'pull_request reopened (default actions)', trigger: { events: ['pull_request'] }, event: events.pullRequest('reopened'), expected: true },
  { name: 'pull_request closed (default actions)', trigger: { events: ['pull_request'] }, event: events.pullRequest('closed'), expected: `action closed not in ${DEFAULT_PR_ACTIONS}` },
  { name: 'pull_request merged (default actions)', trigger: { events: ['pull_request'] }, event: events.merged, expected: `action merged not in ${DEFAULT_PR_ACTIONS}` },
  { name: 'pull_request labeled (default actions)', trigger: { events: ['pull_request'] }, event: events.pullRequest('labeled'), expected: `action labeled not in ${DEFAULT_PR_ACTIONS}` },
  {
    name: 'pull_request closed, listed actions',
    trigger: { events: ['pull_request'], actions: ['opened', 'synchronize'] },
    event: events.pullRequest('closed'),
    expected: 'action closed not in [opened, synchronize]',
  },
  { name: 'merged matches merged', trigger: { events: ['pull_request'], actions: ['merged'] }, event: events.merged, expected: true },
  { name: 'closed without merging is not merged', trigger: { events: ['pull_request'], actions: ['merged'] }, event: events.pullRequest('closed'), expected: 'action closed not in [merged]' },
  { name: 'closed matches a merge too', trigger: { events: ['pull_request'], actions: ['closed'] }, event: events.merged, expected: true },
  { name: 'closed matches closed', trigger: { events: ['pull_request'], actions: ['closed'] }, event: events.pullRequest('closed'), expected: true },
  { name: 'pull_request branch is the base branch', trigger: { events: ['pull_request'], branches: ['master'] }, event: events.pullRequest('opened'), expected: true },
  { name: 'pull_request base branch mismatch', trigger: { events: ['pull_request'], branches: ['main'] }, event: events.pullRequest('opened'), expected: 'branch master not in [main]' },
  { name: 'pull_request with paths', trigger: { events: ['pull_request'], paths: ['pipelines/**'] }, event: events.pullRequest('opened'), expected: PULL_REQUEST_PATHS_REASON },
  // releases
  { name: 'release published (default actions)', trigger: { events: ['release'] }, event: events.release('published'), expected: true },
  { name: 'release created (default actions)', trigger: { events: ['release'] }, event: events.release('created'), expected: 'action created not in [published]' },
  { name: 'release prereleased, listed', trigger: { events: ['release'], actions: ['prereleased'] }, event: events.release('prereleased'), expected: true },
  { name: 'release tag mismatch', trigger: { events: ['release'], tags: ['v*'] }, event: events.release('published'), expected: 'tag 0.0.1 not in [v*]' },
  { name: 'release tag match', trigger: { events: ['release'], tags: ['0.*'] }, event: events.release('published'), expected: true },
  // branches and tags
  { name: 'branch match', trigger: { branches: ['master'] }, event: events.branchPush, expected: true },
  { name: 'branch mismatch', trigger: { branches: ['main', 'release/*'] }, event: events.branchPush, expected: 'branch master not in [main, release/*]' },
  { name: 'branch negation excludes', trigger: { branches: ['*', '!master'] }, event: events.branchPush, expected: 'branch master not in [*, !master]' },
  { name: 'only negations match the rest', trigger: { branches: ['!main'] }, event: events.branchPush, expected: true },
  { name: 'tag mismatch', trigger: { events: ['tag'], tags: ['v*'] }, event: events.tagPush, expected: 'tag simple-tag not in [v*]' },
  { name: 'tag match', trigger: { events: ['tag'], tags: ['simple-*'] }, event: events.tagPush, expected: true },
  { name: 'branches do not filter tags', trigger: { events: ['push', 'tag'], branches: ['main'], tags: ['simple-*'] }, event: events.tagPush, expected: true },
  { name: 'tags do not filter branches', trigger: { events: ['push', 'tag'], branches: ['main'], tags: ['simple-*'] }, event: events.branchPush, expected: 'branch master not in [main]' },
  // paths
  { name: 'no changed path matches', trigger: { paths: ['pipelines/penguin/**'] }, event: events.branchPush, expected: 'no changed path matches [pipelines/penguin/**] (1 path changed)' },
  {
    name: 'no changed path matches, several paths',
    trigger: { paths: ['pipelines/penguin/**'] },
    event: events.pushOf([['README.md', 'pipelines/otter/a.py'], ['docs/x.md']]),
    expected: 'no changed path matches [pipelines/penguin/**] (3 paths changed)',
  },
  { name: 'one changed path matches', trigger: { paths: ['pipelines/penguin/**'] }, event: events.pushOf([['README.md'], ['pipelines/penguin/train.py']]), expected: true },
  {
    name: 'negated paths exclude',
    trigger: { paths: ['pipelines/**', '!pipelines/docs/**'] },
    event: events.pushOf([['pipelines/docs/a.md', 'pipelines/docs/b.md']]),
    expected: 'no changed path matches [pipelines/**, !pipelines/docs/**] (2 paths changed)',
  },
  { name: 'negated paths leave the rest', trigger: { paths: ['pipelines/**', '!pipelines/docs/**'] }, event: events.pushOf([['pipelines/docs/a.md', 'pipelines/a.py']]), expected: true },
  { name: 'a push listing no files', trigger: { paths: ['**'] }, event: events.pushWithoutFiles, expected: 'push payload carries no changed paths to match [**]' },
  { name: 'a tag push without commits', trigger: { events: ['tag'], paths: ['**'] }, event: events.tagPush, expected: 'no changed path matches [**] (0 paths changed)' },
  // when
  { name: 'when true', trigger: { when: 'git.branch == "master" && event.type == "github.push"' }, event: events.branchPush, expected: true },
  { name: 'when false', trigger: { when: 'git.branch == "main"' }, event: events.branchPush, expected: 'when expression was false' },
  { name: 'when reads the payload', trigger: { when: 'payload.head_commit.message.startsWith("Initial")' }, event: events.branchPush, expected: true },
  { name: 'when reads changed paths', trigger: { when: 'git.changedPaths.exists(p, p.endsWith(".md"))' }, event: events.branchPush, expected: true },
  { name: 'when reads the envelope', trigger: { when: 'event.id == "delivery-push" && event.source == "github"' }, event: events.branchPush, expected: true },
  { name: 'when guards a missing fact', trigger: { when: 'has(git.tag) && git.tag.startsWith("v")' }, event: events.branchPush, expected: 'when expression was false' },
  { name: 'when evaluation error', trigger: { when: 'git.tag == "v1"' }, event: events.branchPush, expected: 'when expression failed: field not found: tag (at column 4)' },
  { name: 'when cannot reach a prototype', trigger: { when: 'payload.constructor != null' }, event: events.branchPush, expected: 'when expression failed: field not found: constructor (at column 8)' },
  { name: 'when sees no __proto__', trigger: { when: 'has(payload.__proto__)' }, event: events.branchPush, expected: 'when expression was false' },
  { name: 'when with a non-bool dyn result', trigger: { when: 'git.branch' }, event: events.branchPush, expected: 'when expression failed: result is string, not a bool' },
  { name: 'when matches with RE2 flags', trigger: { when: 'git.branch.matches("(?i)^MASTER$")' }, event: events.branchPush, expected: true },
  { name: 'when counts code points', trigger: { when: '"a\\U0001F600b".substring(1, 2) == "\\U0001F600" && "\\U0001F600" > "\\uFF61"' }, event: events.branchPush, expected: true },
  { name: 'when checks int64 overflow', trigger: { when: '-9223372036854775808 / -1 == 0' }, event: events.branchPush, expected: 'when expression failed: int overflow during divide by -1' },
  { name: 'when runs last', trigger: { branches: ['main'], when: 'git.tag == "v1"' }, event: events.branchPush, expected: 'branch master not in [main]' },
];

describe('matchGitTrigger', () => {
  for (const c of cases) {
    test(c.name, () => {
      const result = matchGitTrigger(compiled(c.trigger), c.event());
      if (c.expected === true) assert.deepEqual(result, { matched: true, trigger: PATH });
      else assert.deepEqual(result, { matched: false, reason: c.expected });
    });
  }

  test('a non-git event never matches', () => {
    const event: RunbridgeEvent = { id: 'x', source: 'cron', type: 'runbridge.schedule.tick', time: '2026-03-01T03:00:00Z', trigger: 'schedule', data: {} };
    assert.deepEqual(matchGitTrigger(compiled({}), event), { matched: false, reason: 'not a git event' });
  });
});

describe('compileGitTrigger', () => {
  const issueCases: { name: string; trigger: TriggerInput; issues: { path: string; message: string }[] }[] = [
    {
      name: 'a bad branch glob',
      trigger: { branches: ['main', 'feature/[a-'] },
      issues: [{ path: `${PATH}.branches[1]`, message: 'invalid glob "feature/[a-": Missing closing: "]" - use "\\\\]" to match literal characters' }],
    },
    {
      name: 'a bad single repository',
      trigger: { repository: 'acme/{widgets' },
      issues: [{ path: `${PATH}.repository`, message: 'invalid glob "acme/{widgets": Missing closing: "}" - use "\\\\}" to match literal characters' }],
    },
    { name: 'a CEL syntax error', trigger: { when: 'git.branch == ' }, issues: [{ path: `${PATH}.when`, message: 'invalid CEL: found = but expecting end of input (at column 12)' }] },
    { name: 'an unknown CEL variable', trigger: { when: 'branch == "main"' }, issues: [{ path: `${PATH}.when`, message: "invalid CEL: undeclared reference to 'branch' (at column 1)" }] },
    { name: 'a CEL expression that is not a bool', trigger: { when: '"main"' }, issues: [{ path: `${PATH}.when`, message: 'must evaluate to a bool, not string' }] },
    {
      name: 'a constant pattern that is not RE2',
      trigger: { when: 'git.branch.matches("^(?=release)")' },
      issues: [{ path: `${PATH}.when`, message: 'invalid CEL: invalid RE2 regular expression: invalid or unsupported Perl syntax: `(?=` (at column 11)' }],
    },
    { name: 'an unknown CEL function', trigger: { when: 'git.branch.reverse() == ""' }, issues: [{ path: `${PATH}.when`, message: "invalid CEL: undeclared reference to function 'reverse' (at column 11)" }] },
    {
      name: 'every problem at once',
      trigger: { branches: ['!'], tags: ['v[1'], paths: [], when: '1 +' },
      issues: [
        { path: `${PATH}.branches[0]`, message: '"!" has no pattern after "!"' },
        { path: `${PATH}.tags[0]`, message: 'invalid glob "v[1": Missing closing: "]" - use "\\\\]" to match literal characters' },
        { path: `${PATH}.paths`, message: 'empty list: omit the field to match anything, or list at least one pattern' },
        { path: `${PATH}.when`, message: 'invalid CEL: found + but expecting end of input (at column 3)' },
      ],
    },
  ];
  for (const c of issueCases) {
    test(`reports ${c.name}`, () => {
      const issues = compile(c.trigger).issues;
      assert.deepEqual(
        [...issues].sort((a, b) => a.path.localeCompare(b.path)),
        [...c.issues].sort((a, b) => a.path.localeCompare(b.path)),
      );
    });
  }

  const warningCases: { name: string; trigger: TriggerInput; warnings: { path: string; message: string }[] }[] = [
    { name: 'paths on pull_request', trigger: { events: ['pull_request'], paths: ['a/**'] }, warnings: [{ path: `${PATH}.paths`, message: PULL_REQUEST_PATHS_EXPLANATION }] },
    {
      name: 'actions without pull_request or release',
      trigger: { events: ['push'], actions: ['opened'] },
      warnings: [{ path: `${PATH}.actions`, message: 'actions apply only to pull_request and release events; this trigger has neither' }],
    },
    {
      name: 'branches on tags only',
      trigger: { events: ['tag'], branches: ['main'] },
      warnings: [{ path: `${PATH}.branches`, message: 'branches apply only to push and pull_request events; this trigger has neither' }],
    },
    {
      name: 'tags on pushes only',
      trigger: { events: ['push'], tags: ['v*'] },
      warnings: [{ path: `${PATH}.tags`, message: 'tags apply only to tag and release events; this trigger has neither' }],
    },
    { name: 'nothing for a sensible trigger', trigger: { events: ['push', 'tag'], branches: ['main'], tags: ['v*'], paths: ['a/**'] }, warnings: [] },
  ];
  for (const c of warningCases) {
    test(`warns about ${c.name}`, () => {
      const result = compile(c.trigger);
      assert.deepEqual(result.issues, []);
      assert.deepEqual(result.warnings, c.warnings);
    });
  }
});

test('a when expression is compiled only by the CEL compiler the caller passes: without it, compiling fails loudly', () => {
  const trigger = gitTriggerSchema.parse({ when: 'true' });
  assert.throws(() => compileGitTrigger(trigger, PATH), { message: `${PATH}.when: compiling a git trigger with a when expression needs the CEL compiler` });
  assert.equal(compileGitTrigger(gitTriggerSchema.parse({ branches: ['main'] }), PATH).compiled.when, undefined);
});
