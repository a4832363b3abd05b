/**
 * The command line as users run it: `node src/cli.ts …` in a child process, exit status, stdout
 * and stderr. No cluster: `render` here is the offline replay (the server dry run is proved against a
 * real kube-apiserver in test/integration/kubernetes-webhook-to-runs.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { COMMANDS } from '../../src/cli/commands.ts';

const REPO = join(import.meta.dirname, '..', '..');
const QUICKSTART = join(REPO, 'examples', 'quickstart.yaml');
const FIXTURES = join(REPO, 'test', 'fixtures', 'github');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'src', 'cli.ts'), ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** One configuration with many unrelated mistakes, each with the path validate must name. */
const INVALID = `apiVersion: runbridge.dev/v1alpha1
kind: Config
github: {}
runConfigurations:
  - name: Penguin_Training
    namespace: ml
    template: kfp-runn
    parameters:
      - { name: commit, valueFrom: { event: sha } }
      - { name: commit, value: again }
    triggers:
      git:
        - branches: ["release/[0-9"]
      schedules:
        - { cron: "0 0 31 2 *" }
        - { cron: "@daily", timezone: Moon/Base }
`;
const INVALID_PATHS = [
  ['github.secrets', 3],
  ['runConfigurations[0].name', 5],
  ['runConfigurations[0].parameters[1].name', 10],
  ['runConfigurations[0].template', 7],
  ['runConfigurations[0].triggers.git[0].branches[0]', 13],
  ['runConfigurations[0].triggers.schedules[0].cron', 15],
  ['runConfigurations[0].triggers.schedules[1].timezone', 16],
] as const;

describe('runbridge CLI', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'runbridge-cli-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  test('--help lists every command, and each command has its own --help', async () => {
    const names = Object.keys(COMMANDS);
    assert.ok(names.length >= 5);
    const [top, ...each] = await Promise.all([cli(['--help']), ...names.map((name) => cli([name, '--help']))]);
    assert.equal(top!.code, 0, top!.stderr);
    assert.match(top!.stdout, /^Usage: runbridge <command> \[options\]$/m);
    for (const name of names) assert.match(top!.stdout, new RegExp(`^  ${name} +\\S`, 'm'), `${name} is listed`);
    for (const [i, help] of each.entries()) {
      assert.equal(help.code, 0, `${names[i]} --help: ${help.stderr}`);
      assert.ok(help.stdout.startsWith(`Usage: runbridge ${names[i]}`), help.stdout);
      assert.equal(help.stdout, (await COMMANDS[names[i]!]!.load()).help);
    }
  });

  test('an unknown command exits 2 with the usage on stderr', async () => {
    const result = await cli(['frobnicate']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^runbridge: unknown command "frobnicate"$/m);
    assert.match(result.stderr, /Usage: runbridge <command>/);
  });

  test('validate: the quickstart is valid (exit 0); a configuration with several problems lists every path (exit 1)', async () => {
    const invalidPath = join(scratch, 'invalid.yaml');
    await writeFile(invalidPath, INVALID);
    const [valid, invalid] = await Promise.all([cli(['validate', '--config', QUICKSTART]), cli(['validate', '--config', invalidPath])]);

    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stdout, /quickstart\.yaml: valid — 7 run configuration\(s\), templates: argo-workflow, kfp-run, openchoreo-workflowrun, tekton-customrun, tekton-pipelinerun, tekton-run, tensorstack-workflowrun/);

    assert.equal(invalid.code, 1);
    assert.equal(invalid.stdout, '');
    const lines = invalid.stderr.trimEnd().split('\n');
    assert.equal(lines[0], `${invalidPath} has ${INVALID_PATHS.length} problems:`);
    assert.deepEqual(
      lines.slice(1).map((l) => /^ {2}(\S+): .* \(line (\d+)\)$/.exec(l)?.slice(1)),
      INVALID_PATHS.map(([path, line]) => [path, String(line)]),
      invalid.stderr,
    );
  });

  test('render: the quickstart and a real push give seven manifests on stdout, one line per run configuration on stderr', async () => {
    const push = await cli(['render', '--config', QUICKSTART, '--event', join(FIXTURES, 'push.json'), '--github-event', 'push', '--delivery', 'cli-test']);
    assert.equal(push.code, 0, push.stderr);
    const docs = parseAllDocuments(push.stdout);
    assert.ok(docs.every((d) => d.errors.length === 0));
    const manifests = docs.map((d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace: string; annotations: Record<string, string> } });
    assert.deepEqual(
      manifests.map((m) => `${m.apiVersion} ${m.kind}`),
      ['pipelines.kubeflow.org/v1beta1 Run', 'tekton.dev/v1beta1 CustomRun', 'tekton.dev/v1alpha1 Run', 'openchoreo.dev/v1alpha1 WorkflowRun', 'batch.tensorstack.dev/v1beta1 WorkflowRun', 'tekton.dev/v1 PipelineRun', 'argoproj.io/v1alpha1 Workflow'],
    );
    assert.ok(manifests.every((m) => m.metadata.annotations['runbridge.dev/event-id'] === 'cli-test'));
    const reasons = push.stderr.trimEnd().split('\n');
    assert.deepEqual(
      reasons,
      manifests.map((m) => `✓ ${m.metadata.annotations['runbridge.dev/run-configuration']} (git[0]): ${m.kind} ${m.metadata.namespace}/${m.metadata.name}`),
    );
  });

  test('render --source github --header gives what --github-event gives, and takes the run names from X-GitHub-Delivery', async () => {
    const event = join(FIXTURES, 'push.json');
    const alias = await cli(['render', '--config', QUICKSTART, '--event', event, '--github-event', 'push', '--delivery', 'cli-source']);
    const bySource = await cli(['render', '-c', QUICKSTART, '-s', 'github', '-e', event, '-H', 'X-GitHub-Event: push', '--header', 'X-GitHub-Delivery: cli-source']);
    assert.equal(bySource.code, 0, bySource.stderr);
    assert.equal(bySource.stdout, alias.stdout);
    assert.equal(bySource.stderr, alias.stderr);
  });

  const refusals: { name: string; args: string[]; code: number; stderr: RegExp }[] = [
    { name: 'no source', args: [], code: 2, stderr: /--source required/ },
    { name: 'an unknown source', args: ['--source', 'svn'], code: 2, stderr: /--source svn is not a webhook source \(known: github\)/ },
    { name: 'a header without a colon', args: ['--source', 'github', '--header', 'X-GitHub-Event push'], code: 2, stderr: /--header "X-GitHub-Event push" is not 'Name: value'/ },
    { name: "no forge event header", args: ['--source', 'github'], code: 1, stderr: /^runbridge render: missing X-GitHub-Event header$/m },
  ];
  for (const r of refusals) {
    test(`render with ${r.name} → exit ${r.code} and why`, async () => {
      const result = await cli(['render', '--config', QUICKSTART, '--event', join(FIXTURES, 'push.json'), ...r.args]);
      assert.equal(result.code, r.code, result.stderr);
      assert.match(result.stderr, r.stderr);
      assert.equal(result.stdout, '');
    });
  }

  test('render of a ping says the delivery starts no run', async () => {
    const ping = await cli(['render', '--config', QUICKSTART, '--event', join(FIXTURES, 'ping.json'), '--source', 'github', '--header', 'X-GitHub-Event: ping', '--delivery', 'p-1']);
    assert.equal(ping.code, 0, ping.stderr);
    assert.equal(ping.stdout, '');
    assert.match(ping.stderr, /^github answers this delivery without a run \(ping\): \{"eventId":"p-1","pong":true,"zen":"Anything added dilutes everything else."\}$/m);
  });

  test('render: an event nothing matches prints no manifest and the reason for each run configuration', async () => {
    const tag = await cli(['render', '--config', QUICKSTART, '--event', join(FIXTURES, 'push-tag.json'), '--github-event', 'push']);
    assert.equal(tag.code, 0, tag.stderr);
    assert.equal(tag.stdout, '');
    const quickstart = await readFile(QUICKSTART, 'utf8');
    const rcs = [...quickstart.matchAll(/^  - name: (\S+)\n {4}namespace: (\S+)$/gm)].map((m) => `${m[2]}/${m[1]}`);
    assert.equal(rcs.length, 7);
    assert.deepEqual(tag.stderr.trimEnd().split('\n'), [...rcs.map((rc) => `- ${rc}: no match: git[0]: event tag not in [push]`), 'no run configuration matched this event']);
  });
});
