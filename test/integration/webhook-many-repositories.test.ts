/**
 * A platform with a run configuration per repository: a push to one repository is matched against
 * the run configurations that can concern it (those naming it, those whose repository pattern
 * matches it, those without a repository filter), and the answer lists the runs, the non-matches
 * among those, and a count of the rest. Real daemon, real socket, real signature.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { startDaemon, type Daemon } from '../../src/daemon/start-daemon.ts';

const SECRET = 'many-repositories-secret';
const PUSH = await readFile(new URL('../fixtures/github/push.json', import.meta.url), 'utf8'); // Codertocat/Hello-World, master
const OTHERS = 300;

function trainer(name: string, git: object): object {
  return {
    name,
    namespace: 'ml',
    template: 'kfp-run',
    parameters: [
      { name: 'provider', value: 'p' },
      { name: 'pipeline', value: name },
    ],
    triggers: { git: [git] },
  };
}

let dir: string;
let daemon: Daemon;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runbridge-many-repos-'));
  const runConfigurations = [
    ...Array.from({ length: OTHERS }, (_, i) => trainer(`component-${i}`, { repository: `platform/component-${i}` })),
    trainer('hello-master', { repository: 'codertocat/hello-world', branches: ['master'] }),
    trainer('hello-main', { repository: ['Codertocat/Hello-World'], branches: ['main'] }),
    trainer('codertocat-any', { repository: 'Codertocat/*', branches: ['release/*'] }),
    trainer('not-codertocat', { repository: ['!Codertocat/**'] }),
    trainer('octo-pattern', { repository: 'octo*/*' }),
    trainer('every-repository', { branches: ['dev'] }),
    { ...trainer('nightly', {}), triggers: { schedules: [{ cron: '0 3 * * *' }] } },
  ];
  await writeFile(
    join(dir, 'runbridge.yaml'),
    JSON.stringify({
      apiVersion: 'runbridge.dev/v1alpha1',
      kind: 'Config',
      github: { secrets: [{ fromEnv: 'RB_SECRET' }] },
      sink: { type: 'file', directory: 'runs' },
      state: { type: 'file', directory: 'state' },
      runConfigurations,
    }),
  );
  const loaded = await loadConfig(join(dir, 'runbridge.yaml'), { env: { RB_SECRET: SECRET } });
  daemon = await startDaemon(loaded, { logger: pino({ level: 'silent' }), env: { RB_SECRET: SECRET }, port: 0, internalPort: 0 });
});
after(async () => {
  await daemon?.shutdown();
  await rm(dir, { recursive: true, force: true });
});

test('a push answers with its runs, the non-matches of its own repository and a count of the rest', async () => {
  const response = await fetch(`${daemon.url}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': await new Webhooks({ secret: SECRET }).sign(PUSH),
    },
    body: PUSH,
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { runs: { runConfiguration: string }[]; skipped: { runConfiguration: string; reason: string }[]; unrelated: number };
  assert.deepEqual(
    body.runs.map((r) => r.runConfiguration),
    ['ml/hello-master'],
  );
  assert.deepEqual(body.skipped, [
    { runConfiguration: 'ml/hello-main', reason: 'git[0]: branch master not in [main]' },
    { runConfiguration: 'ml/codertocat-any', reason: 'git[0]: branch master not in [release/*]' },
    { runConfiguration: 'ml/every-repository', reason: 'git[0]: branch master not in [dev]' },
  ]);
  // The other components, the negated pattern that excludes this repository, the pattern that does
  // not match it, and the schedule-only run configuration.
  assert.equal(body.unrelated, OTHERS + 3);
});
