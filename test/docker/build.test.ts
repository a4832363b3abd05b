/**
 * What the image's build stage does, done here: `tsc -p tsconfig.build.json` (npm run build) into
 * a scratch package laid out like the image (/app: dist/, templates/, examples/, package.json,
 * node_modules), then the compiled CLI is run the way the image's ENTRYPOINT runs it. Proves that
 * the build compiles, that dist/cli.js starts without the TypeScript sources, and that the shipped
 * templates are found from dist/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('npm run build emits a dist/cli.js that runs from an image-like layout', { timeout: 300_000 }, async (t) => {
  const app = await mkdtemp(join(tmpdir(), 'runbridge-image-'));
  t.after(() => rm(app, { recursive: true, force: true }));
  const dist = join(app, 'dist');

  const build = await run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { cwd: root }).then(
    () => ({ ok: true, output: '' }),
    (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
  assert.ok(build.ok, `the build failed:\n${build.output.split('\n').slice(0, 30).join('\n')}`);
  assert.ok(existsSync(join(dist, 'cli.js')), 'dist/cli.js was not emitted');
  assert.equal(existsSync(join(dist, 'cli.ts')), false);

  await cp(join(root, 'templates'), join(app, 'templates'), { recursive: true });
  await cp(join(root, 'examples'), join(app, 'examples'), { recursive: true, filter: (src) => !/\/examples\/(runs|\.runbridge)(\/|$)|\.secret$/.test(src) });
  await cp(join(root, 'package.json'), join(app, 'package.json'));
  await symlink(join(root, 'node_modules'), join(app, 'node_modules'), 'dir');

  const compiled = await readFile(join(dist, 'cli.js'), 'utf8');
  assert.doesNotMatch(compiled, /from '\.[^']*\.ts'/, 'relative imports must be rewritten to .js');

  const node = (args: string[]) => run(process.execPath, ['--enable-source-maps', '--max-semi-space-size=16', 'dist/cli.js', ...args], { cwd: app, env: { PATH: process.env['PATH'] ?? '' } });
  const help = await node(['--help']);
  assert.match(help.stdout, /Usage: runbridge <command>/);
  assert.match(help.stdout, /serve/);

  const version = await node(['--version']);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout.trim(), pkg.version);

  const validate = await node(['validate', '--config', 'examples/quickstart.yaml']);
  assert.match(validate.stdout, /valid — 7 run configuration\(s\), templates: argo-workflow, kfp-run, openchoreo-workflowrun, tekton-customrun, tekton-pipelinerun, tekton-run, tensorstack-workflowrun/);
});
