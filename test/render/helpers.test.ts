import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderError } from '../../src/errors.ts';
import { TEMPLATE_HELPERS } from '../../src/render/helpers/template-helpers.ts';
import { contextWith, PUSH } from './render-fixtures.ts';
import { renderValue } from './probe.ts';

const ctx = contextWith([
  { name: 'quote', value: 'a"b' },
  { name: 'branch', value: 'Feature/JIRA-12_Fix' },
  { name: 'empty', value: '' },
  { name: 'count', value: '3' },
  { name: 'ref', value: 'refs/heads/main' },
]);

describe('helpers, rendered through a template', () => {
  const cases: [string, string, unknown][] = [
    ['json quotes text', '{{json params.quote}}', '"a\\"b"'],
    ['json of a list', '{{json (without parameters "quote" "branch" "empty" "count")}}', '[{"name":"ref","value":"refs/heads/main"}]'],
    ['json of nothing', '{{json params.missing}}', 'null'],
    ['dns1123 shapes', '{{dns1123 params.branch}}', 'feature-jira-12-fix'],
    ['dns1123 with a length', '{{dns1123 params.branch 7}}', 'feature'],
    ['dns1123 never empty', '{{dns1123 params.empty}}', 'x'],
    ['labelValue keeps a valid value', '{{labelValue "main"}}', 'main'],
    ['labelValue shapes and hashes', '{{labelValue params.branch}}', undefined],
    ['shortSha', '{{shortSha git.sha}}', PUSH.after.slice(0, 7)],
    ['default when missing', '{{default params.missing "fallback"}}', 'fallback'],
    ['default when empty', '{{default params.empty "fallback"}}', 'fallback'],
    ['default keeps a value', '{{default params.count "fallback"}}', '3'],
    ['truncate', '{{truncate params.branch 7}}', 'Feature'],
    ['truncate beyond the end', '{{truncate params.count 10}}', '3'],
    ['lower', '{{lower params.branch}}', 'feature/jira-12_fix'],
    ['upper', '{{upper params.branch}}', 'FEATURE/JIRA-12_FIX'],
    ['concat', '{{concat git.repository "@" (shortSha git.sha) 1 true}}', `Codertocat/Hello-World@${PUSH.after.slice(0, 7)}1true`],
    ['trimPrefix', '{{trimPrefix params.ref "refs/heads/"}}', 'main'],
    ['trimPrefix without the prefix', '{{trimPrefix params.branch "refs/heads/"}}', 'Feature/JIRA-12_Fix'],
    ['eq', '{{eq params.count "3"}}', true],
    ['ne', '{{ne params.count "3"}}', false],
    ['and', '{{and params.count params.empty}}', false],
    ['or', '{{or params.empty params.count}}', true],
    ['not', '{{not params.empty}}', true],
    ['int gives a number', '{{int params.count}}', 3],
    ['eq/and/or/not drive #if', '{{#if (and (eq params.count "3") (or params.empty (not params.missing)))}}yes{{else}}no{{/if}}', 'yes'],
    ['without drives #each', '"{{#each (without parameters "quote" "branch" "empty")}}{{name}};{{/each}}"', 'count;ref;'],
    ['a boolean from the context keeps its type', '{{git.deleted}}', false],
    ['a boolean inside text becomes text', 'x-{{git.deleted}}', 'x-false'],
    ['a missing value is empty text', '{{params.missing}}', ''],
  ];
  for (const [name, body, expected] of cases) {
    test(name, () => {
      const value = renderValue(body, ctx);
      if (expected === undefined) {
        assert.match(String(value), /^Feature-JIRA-12_Fix-[0-9a-f]{10}$/);
      } else {
        assert.deepEqual(value, expected);
      }
    });
  }
});

describe('helper errors are render errors', () => {
  const cases: [string, string, RegExp][] = [
    ['dns1123 length 0', '{{dns1123 params.branch 0}}', /dns1123/],
    ['dns1123 length 64', '{{dns1123 params.branch 64}}', /dns1123/],
    ['truncate without a length', '{{truncate params.branch}}', /truncate/],
    ['int of text', '{{int params.branch}}', /int/],
    ['lower of a list', '{{lower parameters}}', /lower: expected a text value, got a list/],
    ['a mapping in {{ }}', '{{params}}', /line 5, \{\{params\}\}: .*mapping.*json.*#each/],
    ['a list in {{ }}', '{{parameters}}', /a list; use \{\{json/],
    ['an unknown helper', '{{nosuchhelper params.count}}', /Missing helper/],
  ];
  for (const [name, body, message] of cases) {
    test(name, () => {
      assert.throws(
        () => renderValue(body, ctx),
        (error: unknown) => error instanceof RenderError && /^template probe: /.test(error.message) && message.test(error.message),
      );
    });
  }
});

test('every documented helper is registered', () => {
  assert.deepEqual(Object.keys(TEMPLATE_HELPERS).sort(), [
    'and', 'concat', 'default', 'dns1123', 'eq', 'int', 'json', 'labelValue', 'lower', 'ne', 'not', 'or', 'shortSha', 'trimPrefix', 'truncate', 'upper', 'without',
  ]);
});
