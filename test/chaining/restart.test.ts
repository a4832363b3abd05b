import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { completionEvent, paramsOf, rc, ref, startHarness } from './chaining-harness.ts';

const config = [
  rc('left', { artifacts: [{ name: 'model', path: 'Trainer:model' }] }),
  rc('right', { artifacts: [{ name: 'blessing', path: 'Evaluator:blessing' }] }),
  rc('deploy', {
    parameters: [
      { name: 'model', ...ref('left', 'model') },
      { name: 'blessing', ...ref('right', 'blessing') },
    ],
    artifacts: [{ name: 'release', path: 'Deploy:release' }],
    triggers: { runConfigurations: ['left', 'right'], upstream: { mode: 'all' } },
  }),
  rc('announce', { parameters: [{ name: 'release', ...ref('deploy', 'release') }], triggers: { runConfigurations: ['deploy'] } }),
];

describe('chaining: runbridge restarting mid-cascade', () => {
  test('a join half satisfied before the restart completes after it, and the cascade goes on', async () => {
    const before = await startHarness(config);
    const directory = before.directory;
    try {
      await before.handleCompletion(completionEvent({ runConfigurationName: 'ml/left', runId: 'l1', artifacts: [{ name: 'model', location: 'gs://m/1' }] }));
      assert.equal(before.runsOf('ml/deploy').length, 0);
      await before.close({ keep: true });

      const after = await startHarness(config, { directory });
      const duplicate = await after.handleCompletion(completionEvent({ runConfigurationName: 'ml/left', runId: 'l1', artifacts: [{ name: 'model', location: 'gs://m/1' }] }));
      assert.equal(duplicate.outcome, 'duplicate', 'the ledger survived the restart');
      await after.handleCompletion(completionEvent({ runConfigurationName: 'ml/right', runId: 'r1', artifacts: [{ name: 'blessing', location: 'gs://b/1' }] }));
      const [deploy] = after.runsOf('ml/deploy');
      assert.deepEqual(paramsOf(deploy), { model: 'gs://m/1', blessing: 'gs://b/1' });

      assert.ok(deploy);
      await after.handleCompletion(
        completionEvent({ runName: `ml/${deploy.metadata.name}`, runId: 'd1', artifacts: [{ name: 'release', location: 'oci://releases/1' }] }),
      );
      assert.deepEqual(paramsOf(after.runsOf('ml/announce')[0]), { release: 'oci://releases/1' });
      await after.close({ keep: true });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
