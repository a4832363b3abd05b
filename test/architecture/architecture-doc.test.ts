/**
 * docs/architecture.md stays a map of the code: every file it names exists, it draws the path with
 * the intake step, it lists every run kind module and every forge folder, and the README's Design
 * section points to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

test('every file and folder docs/architecture.md names exists', () => {
  const named = [...DOC.matchAll(/`((?:src|test)\/[^`\s]*)`/g)].map((m) => m[1] as string);
  assert.ok(named.length > 50, `only ${named.length} paths found: the pattern no longer reads the page`);
  assert.deepEqual([...new Set(named)].filter((path) => !existsSync(join(ROOT, path))), []);
});

test('it draws the path with the intake step', () => {
  assert.match(DOC, /source → event → intake → match → resolve → render → submit → record/);
});

test('it names every run kind module and every forge folder', () => {
  const kinds = readdirSync(join(ROOT, 'src', 'runs', 'kinds')).filter((f) => f !== 'run-kind.ts' && !/status/.test(f));
  const forges = readdirSync(join(ROOT, 'src', 'sources'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'src', 'sources', d.name, `${d.name}-source.ts`)))
    .map((d) => d.name);
  assert.ok(forges.length >= 4, `forge folders found: ${forges.join(', ')}`);
  assert.deepEqual(kinds.filter((f) => !DOC.includes(`src/runs/kinds/${f}`)), []);
  assert.deepEqual(forges.filter((f) => !DOC.includes(`src/sources/${f}/`)), []);
});

test("the README's Design section points to it", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const design = /^## Design\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  assert.match(design, /\]\(docs\/architecture\.md\)/);
});
