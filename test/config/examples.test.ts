import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { createDispatcher } from '../../src/dispatch/create-dispatcher.ts';
import { githubEvent } from '../../src/sources/github/github-event.ts';
import { createMemorySink } from '../../src/sinks/memory-sink.ts';
import { coalesceRecordUpdates } from '../../src/chaining/coalesce-record-updates.ts';
import { createFileStore } from '../../src/state/file-store.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = join(ROOT, 'examples');
const env = { GITHUB_WEBHOOK_SECRET: 'example' };

describe('every example configuration loads without errors or warnings', async () => {
  const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  test('there are examples', () => assert.ok(files.length >= 3, files.join(', ')));
  for (const file of files) {
    test(file, async () => {
      const loaded = await loadConfig(join(EXAMPLES, file), { env });
      assert.ok(loaded.runConfigurations.length > 0);
      assert.deepEqual(loaded.warnings, []);
    });
  }
});

describe('examples/quickstart.yaml', () => {
  const stateDirs: string[] = [];
  after(async () => {
    for (const dir of stateDirs) await rm(dir, { recursive: true, force: true });
  });

  test('uses every shipped template and the sample secret next to it', async () => {
    const loaded = await loadConfig(join(EXAMPLES, 'quickstart.yaml'), { env: {} });
    assert.deepEqual(
      [...new Set(loaded.runConfigurations.map((rc) => rc.template.name))].sort(),
      (await readdir(join(ROOT, 'templates'))).filter((f) => f.endsWith('.yaml.hbs')).map((f) => f.slice(0, -'.yaml.hbs'.length)).sort(),
    );
    assert.deepEqual(loaded.config.github?.secrets, [{ fromFile: join(EXAMPLES, 'quickstart.secret') }]);
    assert.match(await readFile(join(EXAMPLES, 'quickstart.secret'), 'utf8'), /^local-only-sample-secret/);
    assert.deepEqual(loaded.config.sink, { type: 'file', directory: join(EXAMPLES, 'runs') });
    assert.deepEqual(loaded.config.state, { type: 'file', directory: join(EXAMPLES, '.runbridge/state'), dedupeRetentionHours: 168 });
    assert.equal(loaded.config.server.port, 8080);
  });

  test('one sample push renders one run of every kind', async () => {
    const loaded = await loadConfig(join(EXAMPLES, 'quickstart.yaml'), { env: {} });
    const payload: unknown = JSON.parse(await readFile(join(ROOT, 'test/fixtures/github/push.json'), 'utf8'));
    const stateDir = await mkdtemp(join(tmpdir(), 'runbridge-quickstart-'));
    stateDirs.push(stateDir);
    const sink = createMemorySink();
    const dispatch = createDispatcher({
      runConfigurations: loaded.runConfigurations,
      sink,
      store: coalesceRecordUpdates(createFileStore({ directory: stateDir })),
      logger: pino({ level: 'silent' }),
    });
    const outcome = await dispatch(githubEvent({ name: 'push', deliveryId: 'quickstart-1', payload, receivedAt: new Date() }));
    assert.deepEqual(outcome.skipped, []);
    assert.deepEqual(outcome.matched.filter((m) => m.error), []);
    assert.deepEqual(sink.runs.map((r) => `${r.apiVersion} ${r.kind}`).sort(), [
      'argoproj.io/v1alpha1 Workflow',
      'batch.tensorstack.dev/v1beta1 WorkflowRun',
      'openchoreo.dev/v1alpha1 WorkflowRun',
      'pipelines.kubeflow.org/v1beta1 Run',
      'tekton.dev/v1 PipelineRun',
      'tekton.dev/v1alpha1 Run',
      'tekton.dev/v1beta1 CustomRun',
    ]);
    const kfp = sink.runs.find((r) => r.kind === 'Run' && r.apiVersion.startsWith('pipelines'));
    assert.deepEqual((kfp?.spec as { parameters?: unknown })?.parameters, [
      { name: 'commit', value: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
      { name: 'branch', value: 'master' },
      { name: 'repository', value: 'Codertocat/Hello-World' },
      { name: 'training-runs', value: '100' },
    ]);
  });
});
