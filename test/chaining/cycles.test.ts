import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import { config, loadInline } from '../config/load-inline.ts';
import { rc, ref } from './chaining-harness.ts';

/** The message a failed load prints (what `runbridge validate` and `serve` show). */
async function printed(runConfigurations: object[]): Promise<string> {
  try {
    await loadInline(config(...runConfigurations));
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('expected the configuration to be rejected');
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('chaining: dependency cycles are rejected at load time, printed member by member', () => {
  const cases: { name: string; runConfigurations: object[]; line: string }[] = [
    {
      name: 'a trigger cycle of three',
      runConfigurations: [
        rc('a', { triggers: { runConfigurations: ['c'] } }),
        rc('b', { triggers: { runConfigurations: ['a'] } }),
        rc('c', { triggers: { runConfigurations: ['ml/b'] } }),
      ],
      line: '  runConfigurations[0].triggers.runConfigurations: dependency cycle ml/a → ml/c → ml/b → ml/a: each completion would start the next run forever',
    },
    {
      name: 'a run configuration triggering itself',
      runConfigurations: [rc('loop', { triggers: { runConfigurations: ['loop'] } })],
      line: '  runConfigurations[0].triggers.runConfigurations: dependency cycle ml/loop → ml/loop: it triggers itself, so each completion would start another run forever',
    },
    {
      name: 'required artifact references in a cycle',
      runConfigurations: [
        rc('a', { parameters: [{ name: 'x', ...ref('b', 'out') }], artifacts: [{ name: 'out', path: 'A:out' }] }),
        rc('b', { parameters: [{ name: 'y', ...ref('a', 'out') }], artifacts: [{ name: 'out', path: 'B:out' }] }),
      ],
      line: '  runConfigurations[0].parameters: artifact dependency cycle ml/a → ml/b → ml/a: each needs a succeeded run of the next before it can resolve its parameters, so none can ever run (make one runConfigurationRef optional: true)',
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const message = await printed(c.runConfigurations);
      assert.match(message, /^inline\.yaml has 1 problem:\n/);
      assert.match(message, new RegExp(`^${escape(c.line)} \\(line \\d+\\)$`, 'm'));
    });
  }

  test('an optional self-reference (warm start from its own last output) is not a cycle', async () => {
    const loaded = await loadInline(config(rc('eval', { parameters: [{ name: 'baseline', ...ref('eval', 'blessing', { optional: true }) }], artifacts: [{ name: 'blessing', path: 'E:b' }] })));
    assert.deepEqual(loaded.runConfigurations.map((r) => r.key), ['ml/eval']);
  });
});
