/**
 * The seams of src/, checked on the source text: sources never import sinks (a source only calls
 * dispatch); no module passes data on a property keyed by a symbol of its own; and GitHub is named
 * only in its own folder plus the short list of places below, each with its reason.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface SourceFile {
  /** Relative to the repository root, with `/`. */
  readonly path: string;
  readonly text: string;
}

function sourceFiles(directory: string): SourceFile[] {
  return readdirSync(join(ROOT, directory), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

const SRC = sourceFiles('src');

/** Every module a file imports, re-exports or loads with import(), as repository paths for relative specifiers. */
function importsOf(file: SourceFile): string[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  return importedFiles.map(({ fileName }) => (fileName.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file.path), fileName)).split('\\').join('/') : fileName));
}

describe('sources and sinks', () => {
  test('the scan sees the imports it is meant to judge', () => {
    const dispatcher = SRC.find((f) => f.path === 'src/dispatch/create-dispatcher.ts');
    assert.ok(dispatcher && importsOf(dispatcher).includes('src/sinks/sink.ts'), 'create-dispatcher.ts imports src/sinks/sink.ts');
    const sinks = SRC.find((f) => f.path === 'src/sinks/create-sink.ts');
    assert.ok(sinks && importsOf(sinks).includes('src/sinks/kubernetes/create-kubernetes-sink.ts'), 'a dynamic import() is seen too');
  });

  test('no file under src/sources/ imports anything under src/sinks/', () => {
    const offending = SRC.filter((f) => f.path.startsWith('src/sources/')).flatMap((f) =>
      importsOf(f)
        .filter((target) => target.startsWith('src/sinks/'))
        .map((target) => `${f.path} imports ${target}`),
    );
    assert.deepEqual(offending, []);
  });
});

/** The well-known symbols the language itself looks up; a property under one of them is a protocol, not hidden data. */
const WELL_KNOWN_SYMBOLS = new Set(['iterator', 'asyncIterator', 'dispose', 'asyncDispose', 'hasInstance', 'toPrimitive', 'toStringTag']);

/** Where a file makes a symbol of its own (`Symbol()`, `Symbol.for()`, `unique symbol`) or reads a symbol that is not well known. */
function symbolUses(file: SourceFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string) => found.push(`${file.path}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression.getText(source);
      if (callee === 'Symbol' || callee === 'Symbol.for') at(node, `${callee}(…)`);
    } else if (ts.isPropertyAccessExpression(node) && node.expression.getText(source) === 'Symbol' && node.name.text !== 'for' && !WELL_KNOWN_SYMBOLS.has(node.name.text)) {
      at(node, `Symbol.${node.name.text}`);
    } else if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.UniqueKeyword) {
      at(node, 'unique symbol');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('symbol-keyed properties', () => {
  test('the scan finds a symbol made to key a property', () => {
    const probe = { path: 'probe.ts', text: "const SLOT = Symbol('slot');\nexport const shared = Symbol.for('x');\nfor (const v of [][Symbol.iterator]()) void v;\n" };
    assert.deepEqual(symbolUses(probe), ["probe.ts:1: Symbol(…)", "probe.ts:2: Symbol.for(…)"]);
  });

  test('no module in src/ makes a symbol of its own: data between modules goes through arguments and return values', () => {
    assert.deepEqual(SRC.flatMap(symbolUses), []);
  });
});

/**
 * The places outside src/sources/github/ that may name GitHub, each with why. A line that names
 * GitHub elsewhere fails the test; so does an entry that no longer matches any line.
 */
const GITHUB_ALLOWED: readonly { readonly file: RegExp; readonly line: RegExp; readonly why: string }[] = [
  { file: /^src\/config\/schema\.ts$/, line: /./, why: "its config section (`github:`), among the forges' sections and their docs" },
  { file: /^src\/config\/server-schema\.ts$/, line: /forge's own timeout/, why: 'the answer bound is set below every forge\'s timeout, each named' },
  { file: /^src\/events\/event\.ts$/, line: /^export const GIT_PROVIDERS = \[/, why: 'the GitProvider union' },
  { file: /^src\/sources\/webhook\/webhook-sources\.ts$/, line: /^import \{ githubSource \}|^ {2}github: githubSource,$/, why: 'its registration line' },
  { file: /^src\/cli\/render-command\.ts$/, line: /github-event/i, why: "the render command's --github-event alias and its help" },
  { file: /^src\/cli\/retry-command\.ts$/, line: /e\.g\. github:/, why: "an example event id in the retry command's help" },
  { file: /^src\/events\/event-key\.ts$/, line: /`github`: GitHub's delivery GUIDs|source === 'github'/, why: "event keys: GitHub's bare delivery ids keep the keys, and so the run names, they had before keys were per source" },
  { file: /^src\/sources\/gitea\//, line: /./, why: "Gitea's and Forgejo's deliveries follow GitHub's payloads and send its headers; their facts reuse its readers" },
];

describe('GitHub lives in its own folder', () => {
  const hits = SRC.filter((f) => !f.path.startsWith('src/sources/github/')).flatMap((f) =>
    f.text.split('\n').flatMap((line, i) => (/github/i.test(line) ? [{ file: f.path, number: i + 1, line }] : [])),
  );

  test('outside src/sources/github/, GitHub is named only in the allowed places', () => {
    const stray = hits.filter((hit) => !GITHUB_ALLOWED.some((a) => a.file.test(hit.file) && a.line.test(hit.line)));
    assert.deepEqual(stray.map((hit) => `${hit.file}:${hit.number}: ${hit.line.trim()}`), []);
  });

  test('every allowed place is still in use', () => {
    const unused = GITHUB_ALLOWED.filter((a) => !hits.some((hit) => a.file.test(hit.file) && a.line.test(hit.line)));
    assert.deepEqual(unused.map((a) => a.why), []);
  });
});
