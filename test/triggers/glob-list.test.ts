import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlobList } from '../../src/triggers/glob-list.ts';

describe('compileGlobList', () => {
  const cases: { patterns: string[]; value: string; matches: boolean; nocase?: boolean }[] = [
    { patterns: ['main'], value: 'main', matches: true },
    { patterns: ['main'], value: 'main2', matches: false },
    { patterns: ['release/*'], value: 'release/1.2', matches: true },
    { patterns: ['release/*'], value: 'release/1/hotfix', matches: false },
    { patterns: ['release/**'], value: 'release/1/hotfix', matches: true },
    { patterns: ['main', 'release/*'], value: 'dev', matches: false },
    { patterns: ['pipelines/penguin/**'], value: 'pipelines/penguin/train/model.py', matches: true },
    { patterns: ['pipelines/**', '!pipelines/docs/**'], value: 'pipelines/a.py', matches: true },
    { patterns: ['pipelines/**', '!pipelines/docs/**'], value: 'pipelines/docs/x.md', matches: false },
    { patterns: ['!pipelines/docs/**', 'pipelines/**'], value: 'pipelines/docs/x.md', matches: false },
    { patterns: ['!main'], value: 'feature/x', matches: true },
    { patterns: ['!main'], value: 'main', matches: false },
    { patterns: ['!main', '!dev'], value: 'dev', matches: false },
    { patterns: ['.github/**'], value: '.github/workflows/ci.yaml', matches: true },
    { patterns: ['**/*.py'], value: 'a/.hidden/b.py', matches: true },
    { patterns: ['v{1,2}.*'], value: 'v2.0', matches: true },
    { patterns: ['v[0-9]*'], value: 'vx', matches: false },
    { patterns: ['./pipelines/**'], value: 'pipelines/a.py', matches: true },
    { patterns: ['release/*'], value: 'release/', matches: false },
    { patterns: ['feature/[!x]*'], value: 'feature/y1', matches: true },
    { patterns: ['acme/*'], value: 'ACME/Widgets', matches: true, nocase: true },
    { patterns: ['acme/*'], value: 'ACME/Widgets', matches: false },
  ];
  for (const c of cases) {
    test(`${JSON.stringify(c.patterns)} ${c.matches ? 'matches' : 'does not match'} ${c.value}${c.nocase ? ' (nocase)' : ''}`, () => {
      const { list, issues } = compileGlobList(c.patterns, 'x', { nocase: c.nocase === true });
      assert.deepEqual(issues, []);
      assert.equal(list.matches(c.value), c.matches);
    });
  }

  test('labels the list for reasons', () => {
    assert.equal(compileGlobList(['main', 'release/*'], 'x').list.label, '[main, release/*]');
  });

  const invalid: { patterns: string[]; issues: { path: string; message: string }[] }[] = [
    {
      patterns: ['main', 'feature/[a-'],
      issues: [{ path: 'b[1]', message: 'invalid glob "feature/[a-": Missing closing: "]" - use "\\\\]" to match literal characters' }],
    },
    { patterns: ['{a,b'], issues: [{ path: 'b[0]', message: 'invalid glob "{a,b": Missing closing: "}" - use "\\\\}" to match literal characters' }] },
    {
      patterns: ['release/!(beta)'],
      issues: [{ path: 'b[0]', message: 'invalid glob "release/!(beta)": "!(beta)" needs look-ahead, which linear-time matching does not have: write the exclusion as its own "!" pattern' }],
    },
    { patterns: ['[z-a]'], issues: [{ path: 'b[0]', message: 'invalid glob "[z-a]": invalid RE2 regular expression: invalid character class range: `z-a`' }] },
    { patterns: ['main', '!'], issues: [{ path: 'b[1]', message: '"!" has no pattern after "!"' }] },
    { patterns: [], issues: [{ path: 'b', message: 'empty list: omit the field to match anything, or list at least one pattern' }] },
  ];
  for (const c of invalid) {
    test(`reports ${JSON.stringify(c.patterns)} with its field path`, () => {
      assert.deepEqual(compileGlobList(c.patterns, 'b').issues, c.issues);
    });
  }
});
