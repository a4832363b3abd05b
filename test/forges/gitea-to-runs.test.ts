// A real Gitea delivering to runbridge's daemon (file sink, port 0, a `gitea:` section): real
// `git push`es of a branch and a tag, a pull request opened through the API and then pushed to,
// a push no trigger names, a replay from the hook's page and a hook with the wrong secret — each
// checked by the runs on disk and by the answer Gitea recorded.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';
import { cloneRepository, type GitClone } from '../support/git-clone.ts';
import { startGitea, type GiteaServer } from '../support/gitea.ts';
import { createRepository, createWebhook, openPullRequest, type GiteaRepository, type GiteaWebhook } from '../support/gitea-api.ts';
import { hookPage, listDeliveries, replayDelivery } from '../support/gitea-deliveries.ts';

const SECRET = randomBytes(16).toString('hex');

interface RunFile {
  readonly file: string;
  readonly parameters: Record<string, string>;
  readonly eventId: string;
}

async function runs(dir: string): Promise<RunFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.sort().map(async (file) => {
      const run = parse(await readFile(file, 'utf8'));
      const parameters = Object.fromEntries((run.spec.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
      return { file: relative(dir, file), parameters, eventId: run.metadata.annotations['runbridge.dev/event-id'] as string };
    }),
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const runConfiguration = (name: string, trigger: Record<string, unknown>, extra: Record<string, unknown>[] = []) => ({
  name,
  namespace: 'ci',
  template: 'kfp-run',
  parameters: [
    { name: 'provider', value: 'kfp-operator/vertex-ai' },
    { name: 'pipeline', value: name },
    { name: 'rc', value: name },
    { name: 'forge', valueFrom: { event: 'forge' } },
    { name: 'commit', valueFrom: { event: 'sha' } },
    { name: 'ref', valueFrom: { event: 'ref' } },
    ...extra,
  ],
  triggers: { git: [{ repository: 'runbridge-admin/shop', ...trigger }] },
});

describe('a real Gitea → runbridge → runs', { timeout: 300_000 }, () => {
  let dir: string;
  let gitea: GiteaServer;
  let daemon: Daemon;
  let repo: GiteaRepository;
  let hook: GiteaWebhook;
  let clone: GitClone;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbridge-gitea-e2e-'));
    const config = {
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      server: { host: '127.0.0.1' },
      gitea: { secrets: [{ repositories: ['runbridge-admin/*'], secrets: [{ fromEnv: 'RB_GITEA_SECRET' }] }] },
      sink: { type: 'file', directory: 'runs' },
      state: { type: 'file', directory: 'state' },
      runConfigurations: [
        runConfiguration('build-main', { events: ['push'], branches: ['main'] }),
        runConfiguration('release', { events: ['tag'], tags: ['v*'] }, [{ name: 'tag', valueFrom: { event: 'tag' } }]),
        runConfiguration('review', { events: ['pull_request'] }, [
          { name: 'action', valueFrom: { event: 'action' } },
          { name: 'number', valueFrom: { event: 'pullRequestNumber' } },
          { name: 'title', valueFrom: { event: 'pullRequestTitle' } },
          { name: 'head', valueFrom: { event: 'pullRequestHeadRef' } },
          { name: 'base', valueFrom: { event: 'pullRequestBaseRef' } },
          { name: 'head-sha', valueFrom: { event: 'pullRequestHeadSha' } },
          { name: 'from-fork', valueFrom: { event: 'pullRequestFromFork' } },
        ]),
      ],
    };
    await writeFile(join(dir, 'runbridge.yaml'), JSON.stringify(config));
    const env = { RB_GITEA_SECRET: SECRET };
    daemon = await startDaemon(await loadConfig(join(dir, 'runbridge.yaml'), { env }), { logger: pino({ level: 'silent' }), env, port: 0, internalPort: 0 });
    gitea = await startGitea();
    repo = await createRepository(gitea, { name: 'shop' });
    hook = await createWebhook(gitea, repo, { url: `${daemon.url}/webhooks/gitea`, secret: SECRET });
    clone = await cloneRepository(gitea, repo);
  });

  after(async () => {
    await clone?.remove();
    await gitea?.stop();
    await daemon?.shutdown();
    await rm(dir, { recursive: true, force: true });
  });

  const runsOf = async (name: string) => (await runs(join(dir, 'runs'))).filter((r) => r.parameters['rc'] === name);

  test('a git push to main → one build run with the pushed commit', async () => {
    const sha = await clone.commit({ 'src/app.ts': 'export const app = 1;\n' }, 'Add the app');
    await clone.push('HEAD:refs/heads/main');
    const [run] = await waitFor('the build run', async () => ((await runsOf('build-main')).length ? runsOf('build-main') : undefined));
    assert.deepEqual(
      { forge: run!.parameters['forge'], commit: run!.parameters['commit'], ref: run!.parameters['ref'] },
      { forge: 'gitea', commit: sha, ref: 'refs/heads/main' },
    );
    assert.match(run!.eventId, /^gitea:push:[0-9a-f]{32}$/);
  });

  test('a pushed annotated tag → one release run at the tagged commit (the create event starts nothing)', async () => {
    const commit = await clone.tag('v1.0.0');
    await clone.push('refs/tags/v1.0.0');
    const [run] = await waitFor('the release run', async () => ((await runsOf('release')).length ? runsOf('release') : undefined));
    assert.equal(run!.parameters['tag'], 'v1.0.0');
    assert.equal(run!.parameters['commit'], commit);
    // Let the create delivery arrive too: it must not start a second run.
    await waitFor('the create delivery answered', async () => ((await hookPage(gitea, hook)).includes('ignored: tag triggers fire on the tag') ? true : undefined));
    assert.equal((await runsOf('release')).length, 1);
  });

  test('a pull request opened, then a new commit pushed → runs for opened and synchronize with the PR facts', async () => {
    const first = await clone.commit({ 'src/login.ts': 'export const login = true;\n' }, 'Add login');
    await clone.push('HEAD:refs/heads/feature/login');
    const pr = await openPullRequest(gitea, repo, { head: 'feature/login', title: 'Add login' });
    await waitFor('the opened run', async () => ((await runsOf('review')).length === 1 ? true : undefined));
    const second = await clone.commit({ 'src/login.ts': 'export const login = false;\n' }, 'Fix login');
    await clone.push('HEAD:refs/heads/feature/login');
    const reviews = await waitFor('the synchronize run', async () => {
      const all = await runsOf('review');
      return all.length === 2 ? all : undefined;
    });
    const facts = reviews.map((r) => r.parameters).sort((a, b) => (a['action']! < b['action']! ? -1 : 1));
    const common = { number: String(pr.number), title: 'Add login', head: 'feature/login', base: 'main', 'from-fork': 'false', forge: 'gitea', ref: `refs/pull/${pr.number}/head` };
    assert.deepEqual(
      facts.map(({ rc: _rc, ...rest }) => rest),
      [
        { ...common, action: 'opened', commit: first, 'head-sha': first },
        { ...common, action: 'synchronize', commit: second, 'head-sha': second },
      ],
    );
  });

  test('a push to a branch no trigger names → no run, and the answer Gitea shows says why', async () => {
    const before = (await runs(join(dir, 'runs'))).length;
    const sha = await clone.commit({ 'notes.md': 'notes\n' }, 'Notes');
    await clone.push('HEAD:refs/heads/notes');
    const page = await waitFor('the answer to the notes push', async () => {
      const html = await hookPage(gitea, hook);
      return html.includes('branch notes not in [main]') ? html : undefined;
    });
    assert.match(page, /"runConfiguration":\s*"ci\/build-main",\s*"reason":\s*"git\[0\]: branch notes not in \[main\]"/);
    assert.ok(sha);
    assert.equal((await runs(join(dir, 'runs'))).length, before);
  });

  test('the same delivery replayed from Gitea → the same event, no second run', async () => {
    const before = await runs(join(dir, 'runs'));
    const ids = await listDeliveries(gitea, hook);
    // The oldest delivery is the first push to main: it started the build run.
    const original = ids.at(-1)!;
    await replayDelivery(gitea, hook, original);
    await waitFor('the replay answered', async () => {
      const now = await listDeliveries(gitea, hook);
      const html = await hookPage(gitea, hook);
      return now.length > ids.length && html.includes('1 run already existed') ? true : undefined;
    });
    assert.deepEqual(await runs(join(dir, 'runs')), before);
  });

  test('a hook with the wrong secret → 401, nothing created', async () => {
    const before = await runs(join(dir, 'runs'));
    const wrong = await createWebhook(gitea, repo, { url: `${daemon.url}/webhooks/gitea`, secret: 'not-the-secret', events: ['push'] });
    await clone.commit({ 'src/app.ts': 'export const app = 2;\n' }, 'Change the app');
    await clone.push('HEAD:refs/heads/main');
    const page = await waitFor('the wrong hook answered', async () => {
      const html = await hookPage(gitea, wrong);
      return html.includes('RB_SIGNATURE') ? html : undefined;
    });
    assert.match(page, /X-Gitea-Signature does not match the body with any configured secret/);
    // The good hook's delivery of the same push did create its run; the wrong one added nothing.
    await waitFor('the good hook run', async () => ((await runsOf('build-main')).length === 2 ? true : undefined));
    assert.equal((await runs(join(dir, 'runs'))).length, before.length + 1);
  });
});
