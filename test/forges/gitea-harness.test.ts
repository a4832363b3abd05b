// Proves the Gitea harness against a plain HTTP receiver: what a real Gitea sends for real git
// pushes, pull requests, releases and a replay, and how it signs them. Everything asserted here is
// what the Gitea webhook source will rely on.
//
// RUNBRIDGE_UPDATE_GITEA_FIXTURES=1 also writes the deliveries to test/fixtures/gitea/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { startGitea, type GiteaServer } from '../support/gitea.ts';
import {
  closePullRequest,
  createRelease,
  createRepository,
  createWebhook,
  mergePullRequest,
  openPullRequest,
  reopenPullRequest,
  type GiteaRepository,
  type GiteaWebhook,
} from '../support/gitea-api.ts';
import { listDeliveries, replayDelivery } from '../support/gitea-deliveries.ts';
import { cloneRepository, type GitClone } from '../support/git-clone.ts';
import { startWebhookReceiver, type ReceivedDelivery, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { saveForgeFixture } from '../support/forge-fixture.ts';

const ZERO_SHA = '0000000000000000000000000000000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Headers that depend on the secret or the connection: a test makes its own. */
const NOT_KEPT = /^(x-gitea-signature|x-gogs-signature|x-hub-signature|x-hub-signature-256|host|content-length)$/i;

interface PushBody {
  ref: string;
  before: string;
  after: string;
  commits: Array<{ id: string; added: string[]; modified: string[]; removed: string[] }>;
  repository: { full_name: string };
  pusher: { login: string };
}
interface RefBody {
  ref: string;
  ref_type: string;
  sha?: string;
}
interface PullRequestBody {
  action: string;
  number: number;
  pull_request: { head: { ref: string; sha: string; repo: { full_name: string } }; base: { ref: string; repo: { full_name: string } }; merged: boolean };
}

const event = (d: ReceivedDelivery): string | undefined => d.header('x-gitea-event');
const body = <T,>(d: ReceivedDelivery): T => d.json() as T;

describe('a real Gitea delivering to a receiver', { timeout: 300_000 }, () => {
  const secret = randomBytes(16).toString('hex');
  let gitea: GiteaServer;
  let receiver: WebhookReceiver;
  let repo: GiteaRepository;
  let hook: GiteaWebhook;
  let clone: GitClone;
  const kept = new Map<string, ReceivedDelivery>();

  before(async () => {
    receiver = await startWebhookReceiver();
    gitea = await startGitea();
    repo = await createRepository(gitea, { name: 'shop' });
    hook = await createWebhook(gitea, repo, { url: receiver.url, secret });
    clone = await cloneRepository(gitea, repo);
  });

  after(async () => {
    if (process.env['RUNBRIDGE_UPDATE_GITEA_FIXTURES'] === '1') {
      for (const [file, delivery] of kept) {
        const headers = Object.fromEntries(delivery.rawHeaders.filter(([name]) => !NOT_KEPT.test(name)));
        await saveForgeFixture('gitea', file, { headers, body: delivery.json() });
      }
    }
    await clone?.remove();
    await gitea?.stop();
    await receiver?.close();
  });

  test('a push to a branch arrives signed, with its commits and changed files', async () => {
    const base = await clone.sha();
    const sha = await clone.commit({ 'src/app.ts': 'export const app = 1;\n', 'README.md': '# shop\n\nThe shop.\n' }, 'Add the app');
    await clone.push('HEAD:refs/heads/main');

    const push = await receiver.waitFor((d) => event(d) === 'push' && body<PushBody>(d).after === sha);
    kept.set('push.json', push);
    const payload = body<PushBody>(push);
    assert.equal(payload.ref, 'refs/heads/main');
    assert.equal(payload.before, base);
    assert.equal(payload.repository.full_name, `${gitea.admin.username}/shop`);
    assert.equal(payload.pusher.login, gitea.admin.username);
    assert.deepEqual(
      payload.commits.map((c) => ({ id: c.id, added: c.added, modified: c.modified, removed: c.removed })),
      [{ id: sha, added: ['src/app.ts'], modified: ['README.md'], removed: [] }],
    );

    // X-Gitea-Signature is the bare hex HMAC-SHA256 of the body; the GitHub-style header carries the same.
    const expected = createHmac('sha256', secret).update(push.body).digest('hex');
    assert.equal(push.header('x-gitea-signature'), expected);
    assert.equal(push.header('x-hub-signature-256'), `sha256=${expected}`);
    assert.equal(push.header('x-gogs-signature'), expected);
    assert.equal(push.header('x-hub-signature'), `sha1=${createHmac('sha1', secret).update(push.body).digest('hex')}`);
    assert.match(push.header('x-gitea-delivery') ?? '', UUID);
    assert.equal(push.header('x-github-delivery'), push.header('x-gitea-delivery'));
    assert.equal(push.header('x-gogs-delivery'), push.header('x-gitea-delivery'));
    assert.equal(push.header('x-github-event'), 'push');
    assert.equal(push.header('x-gitea-event-type'), 'push');
    assert.equal(push.header('x-gitea-hook-installation-target-type'), 'repository');
    assert.equal(push.header('content-type'), 'application/json');
    assert.equal(push.method, 'POST');
  });

  test('a new branch arrives as a create event and a push from all zeros', async () => {
    const sha = await clone.commit({ 'docs/notes.md': 'notes\n' }, 'Add notes');
    await clone.push('HEAD:refs/heads/notes');

    const create = await receiver.waitFor((d) => event(d) === 'create' && body<RefBody>(d).ref === 'notes');
    kept.set('create-branch.json', create);
    assert.equal(body<RefBody>(create).ref_type, 'branch');
    assert.equal(body<RefBody>(create).sha, sha);
    const push = await receiver.waitFor((d) => event(d) === 'push' && body<PushBody>(d).ref === 'refs/heads/notes');
    kept.set('push-new-branch.json', push);
    assert.equal(body<PushBody>(push).before, ZERO_SHA);
    assert.equal(body<PushBody>(push).after, sha);
  });

  test('a deleted branch arrives as a delete event (and, unlike GitHub, as no push; see the last test)', async () => {
    await clone.push(':refs/heads/notes');

    const deleted = await receiver.waitFor((d) => event(d) === 'delete' && body<RefBody>(d).ref === 'notes');
    kept.set('delete-branch.json', deleted);
    assert.equal(body<RefBody>(deleted).ref_type, 'branch');
  });

  test('a pushed annotated tag arrives as a create event naming the tag object, and a push to refs/tags/', async () => {
    const commit = await clone.tag('v1.0.0');
    const tagObject = await clone.git('rev-parse', 'refs/tags/v1.0.0');
    assert.notEqual(tagObject, commit);
    await clone.push('refs/tags/v1.0.0');

    const create = await receiver.waitFor((d) => event(d) === 'create' && body<RefBody>(d).ref_type === 'tag' && body<RefBody>(d).ref === 'v1.0.0');
    kept.set('create-tag.json', create);
    assert.equal(body<RefBody>(create).sha, tagObject);
    const push = await receiver.waitFor((d) => event(d) === 'push' && body<PushBody>(d).ref === 'refs/tags/v1.0.0');
    kept.set('push-tag.json', push);
    assert.equal(body<PushBody>(push).before, ZERO_SHA);
    assert.equal(body<PushBody>(push).after, tagObject);
  });

  test('a pull request opened, synchronized by a new commit, closed, reopened and merged', async () => {
    const first = await clone.commit({ 'src/login.ts': 'export const login = true;\n' }, 'Add login');
    await clone.push('HEAD:refs/heads/feature/login');
    const pr = await openPullRequest(gitea, repo, { head: 'feature/login', title: 'Add login' });
    assert.equal(pr.headSha, first);

    const pullRequest = (action: string, sha: string) => (d: ReceivedDelivery) =>
      event(d) === 'pull_request' && body<PullRequestBody>(d).action === action && body<PullRequestBody>(d).pull_request.head.sha === sha;

    const opened = await receiver.waitFor(pullRequest('opened', first));
    kept.set('pull-request-opened.json', opened);
    const openedBody = body<PullRequestBody>(opened);
    assert.equal(openedBody.number, pr.number);
    assert.equal(openedBody.pull_request.head.ref, 'feature/login');
    assert.equal(openedBody.pull_request.base.ref, 'main');
    assert.equal(openedBody.pull_request.head.repo.full_name, openedBody.pull_request.base.repo.full_name);
    assert.equal(opened.header('x-gitea-event-type'), 'pull_request');

    const second = await clone.commit({ 'src/login.ts': 'export const login = false;\n' }, 'Fix login');
    await clone.push('HEAD:refs/heads/feature/login');
    const synchronized = await receiver.waitFor(pullRequest('synchronized', second));
    kept.set('pull-request-synchronized.json', synchronized);
    // The event is pull_request; only the event type tells the sync apart.
    assert.equal(synchronized.header('x-gitea-event-type'), 'pull_request_sync');

    await closePullRequest(gitea, repo, pr.number);
    const closed = await receiver.waitFor(pullRequest('closed', second));
    kept.set('pull-request-closed.json', closed);
    assert.equal(body<PullRequestBody>(closed).pull_request.merged, false);

    await reopenPullRequest(gitea, repo, pr.number);
    kept.set('pull-request-reopened.json', await receiver.waitFor(pullRequest('reopened', second)));

    await mergePullRequest(gitea, repo, pr.number);
    const merged = await receiver.waitFor((d) => pullRequest('closed', second)(d) && body<PullRequestBody>(d).pull_request.merged);
    kept.set('pull-request-merged.json', merged);
  });

  test('a published release arrives as a release event', async () => {
    await createRelease(gitea, repo, { tag: 'v1.1.0', name: 'Shop 1.1.0' });
    const release = await receiver.waitFor((d) => event(d) === 'release');
    kept.set('release-published.json', release);
    const payload = body<{ action: string; release: { tag_name: string } }>(release);
    assert.equal(payload.action, 'published');
    assert.equal(payload.release.tag_name, 'v1.1.0');
  });

  test('a replayed delivery arrives again with a new delivery id and the very same body', async () => {
    const original = kept.get('push.json');
    assert.ok(original);
    const originalId = original.header('x-gitea-delivery') ?? '';
    const ids = await listDeliveries(gitea, hook);
    assert.ok(ids.includes(originalId), `the hook's page lists ${originalId} among ${ids.join(', ')}`);

    await replayDelivery(gitea, hook, originalId);
    const replay = await receiver.waitFor((d) => d !== original && event(d) === 'push' && d.body.equals(original.body));
    kept.set('push-replayed.json', replay);
    assert.match(replay.header('x-gitea-delivery') ?? '', UUID);
    assert.notEqual(replay.header('x-gitea-delivery'), originalId);
    assert.equal(replay.header('x-gitea-signature'), original.header('x-gitea-signature'));
    assert.ok((await listDeliveries(gitea, hook)).includes(replay.header('x-gitea-delivery') ?? ''));
  });

  test('no push event was sent for the deleted branch, only the delete event', () => {
    // Checked last, after every later delivery arrived: Gitea 1.27 sends "delete" alone.
    const created = kept.get('push-new-branch.json');
    assert.ok(created);
    assert.deepEqual(
      receiver.deliveries.filter((d) => event(d) === 'push' && body<PushBody>(d).ref === 'refs/heads/notes'),
      [created],
    );
  });
});
