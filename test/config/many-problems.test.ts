import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/errors.ts';
import { issuesOf, loadInline } from './load-inline.ts';

/** One file with many unrelated mistakes: every one is reported, in file order, in one error. */
const text = `apiVersion: runbridge.dev/v1alpha1
kind: Config
github: {}
runConfigurations:
  - name: Penguin
    namespace: ml
    template: echo-runn
    labels:
      runbridge.dev/event-id: mine
      team: "not valid!"
    parameters:
      - {name: message, value: hi}
      - {name: message, value: again}
      - {name: model, valueFrom: {runConfigurationRef: {name: trainer, outputArtifact: model}}}
    artifacts:
      - {name: examples, path: ExampleGen}
    triggers:
      git:
        - events: [pull_request]
          branches: ["release/[0-9"]
          paths: [src/**]
          when: "git.branch =="
      schedules:
        - {cron: "0 0 31 2 *"}
        - {cron: "@daily", timezone: Moon/Base}
      runConfigurations: [b]
  - name: b
    namespace: ml
    template: echo-run
    triggers: {runConfigurations: [Penguin]}
  - name: b
    namespace: ml
    template: static-run
`;

test('a configuration with many problems reports all of them at once, each with its path', async () => {
  const issues = await issuesOf(text);
  assert.deepEqual(
    issues.map((i) => i.path),
    [
      'github.secrets',
      'runConfigurations[0].artifacts[0].path',
      'runConfigurations[0].labels.team',
      'runConfigurations[0].labels["runbridge.dev/event-id"]',
      'runConfigurations[0].name',
      'runConfigurations[0].parameters[1].name',
      'runConfigurations[0].parameters[2].valueFrom.runConfigurationRef.name',
      'runConfigurations[0].template',
      'runConfigurations[0].triggers.git[0].branches[0]',
      'runConfigurations[0].triggers.git[0].paths',
      'runConfigurations[0].triggers.git[0].when',
      'runConfigurations[0].triggers.runConfigurations',
      'runConfigurations[0].triggers.schedules[0].cron',
      'runConfigurations[0].triggers.schedules[1].timezone',
      'runConfigurations[1].template',
      'runConfigurations[2].name',
    ],
  );
  const lines = issues.map((i) => Number(/\(line (\d+)\)$/.exec(i.message)?.[1]));
  assert.deepEqual(lines, [3, 16, 10, 9, 5, 13, 14, 7, 20, 21, 22, 26, 24, 25, 29, 31]);
});

test('the error message lists every problem, one per line', async () => {
  await assert.rejects(loadInline(text), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    const lines = error.message.split('\n');
    assert.equal(lines[0], 'inline.yaml has 16 problems:');
    assert.equal(lines.length, 17);
    assert.equal(
      lines[12],
      '  runConfigurations[0].triggers.runConfigurations: dependency cycle ml/Penguin → ml/b → ml/Penguin: each completion would start the next run forever (line 26)',
    );
    return true;
  });
});
