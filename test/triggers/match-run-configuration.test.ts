import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gitTriggerSchema } from '../../src/config/schema.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';
import { compileGitTrigger } from '../../src/triggers/git-trigger.ts';
import { matchRunConfiguration } from '../../src/triggers/match-run-configuration.ts';
import { compileWhen } from '../../src/triggers/when-expression.ts';
import { deliver, payloads } from '../events/github-examples.ts';

function rc(...triggers: object[]) {
  const git = triggers.map((input, index) => {
    const { compiled, issues } = compileGitTrigger(gitTriggerSchema.parse(input), `runConfigurations[0].triggers.git[${index}]`, { compileWhen });
    assert.deepEqual(issues, []);
    return compiled;
  });
  return { triggers: { git } };
}

const push = () => deliver('push', payloads.branchPush());

describe('matchRunConfiguration', () => {
  test('matches when any git trigger matches, naming it', () => {
    const result = matchRunConfiguration(rc({ branches: ['main'] }, { events: ['pull_request'] }, { branches: ['master'] }), push());
    assert.deepEqual(result, { matched: true, trigger: 'git[2]' });
  });

  test('the first matching trigger wins', () => {
    assert.deepEqual(matchRunConfiguration(rc({}, {}), push()), { matched: true, trigger: 'git[0]' });
  });

  test("lists every trigger's reason when none matches", () => {
    const result = matchRunConfiguration(rc({ branches: ['main'] }, { events: ['pull_request'] }, { when: 'false' }), push());
    assert.deepEqual(result, {
      matched: false,
      reason: 'git[0]: branch master not in [main]; git[1]: event push not in [pull_request]; git[2]: when expression was false',
    });
  });

  test('a run configuration without git triggers', () => {
    assert.deepEqual(matchRunConfiguration(rc(), push()), { matched: false, reason: 'no git triggers' });
  });

  const nonGit: RunbridgeEvent[] = [
    { id: 'nightly@2026-03-01T03:00:00Z', source: 'cron', type: 'runbridge.schedule.tick', time: '2026-03-01T03:00:00Z', trigger: 'schedule', data: {} },
    { id: 'c1', source: 'nats', type: 'org.kubeflow.pipelines.run-completion', time: '2026-03-01T03:00:00Z', trigger: 'runConfiguration', data: {} },
  ];
  for (const event of nonGit) {
    test(`a ${event.trigger} event is not a git event`, () => {
      assert.deepEqual(matchRunConfiguration(rc({}), event), { matched: false, reason: 'not a git event' });
    });
  }
});
