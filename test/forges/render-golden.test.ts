// `runbridge render --source FORGE --event payload.json --header …` on every forge fixture, with
// the configuration in golden/forges.yaml: the manifests printed and the reasons given are
// compared with golden/<forge>/<fixture>.txt. UPDATE_GOLDEN=1 rewrites them.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../src/cli/run-cli.ts';
import { FIXTURES_DIR, loadForgeFixture, type Forge } from '../support/forge-fixture.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env['UPDATE_GOLDEN'] === '1';
const FOLDERS: readonly [Forge, string][] = [
  ['gitlab', 'gitlab'],
  ['gitea', 'gitea'],
  ['bitbucket-cloud', 'bitbucket-cloud'],
  ['bitbucket-dc', 'bitbucket-data-center'],
];

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await runCli(['render', ...args], { stdout, stderr, env: {} });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

describe('render golden: every forge fixture through the same triggers', () => {
  let tmp: string;
  before(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'runbridge-forge-golden-'));
  });
  after(() => rm(tmp, { recursive: true, force: true }));

  for (const [folder, source] of FOLDERS) {
    test(`${source}: every fixture renders as recorded`, async () => {
      const files = (await readdir(join(FIXTURES_DIR, folder))).filter((f) => f.endsWith('.json')).sort();
      await mkdir(join(GOLDEN, folder), { recursive: true });
      for (const file of files) {
        const { headers, body } = await loadForgeFixture(folder, file);
        const payload = join(tmp, `${folder}-${file}`);
        await writeFile(payload, body);
        const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['--header', `${name}: ${value}`]);
        const result = await render(['--config', join(GOLDEN, 'forges.yaml'), '--source', source, '--event', payload, ...headerArgs]);
        const text = `# runbridge render --source ${source} --event ${folder}/${file} (exit ${result.code})\n${result.stderr
          .trimEnd()
          .split('\n')
          .map((line) => `# ${line}`)
          .join('\n')}\n${result.stdout}`;
        const golden = join(GOLDEN, folder, file.replace(/\.json$/, '.txt'));
        if (update) await writeFile(golden, text);
        assert.equal(text, await readFile(golden, 'utf8'), `${folder}/${file}`);
      }
    });
  }
});
