// The offline supply-chain rules over package-lock.json, against the lockfile itself and against
// the substitutions they exist to catch.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { lockfileProblems, type Lockfile, type LockedPackage } from '../../scripts/lockfile-problems.ts';

const LOCK = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as Lockfile;
const GOOD: LockedPackage = { version: '1.2.3', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.2.3.tgz', integrity: 'sha512-abc' };

const lockWith = (entry: LockedPackage): Lockfile => ({ lockfileVersion: 3, packages: { '': {}, 'node_modules/left-pad': entry } });

test("runbridge's own lockfile passes", () => {
  assert.deepEqual(lockfileProblems(LOCK), []);
});

const attacks: Array<[string, LockedPackage, RegExp]> = [
  ['a dependency swapped for a git repository', { ...GOOD, version: 'git+ssh://git@github.com/evil/left-pad.git#abc', resolved: 'git+ssh://git@github.com/evil/left-pad.git#abc' }, /not a registry release/],
  ['a dependency fetched from another host', { ...GOOD, resolved: 'https://evil.example/left-pad-1.2.3.tgz' }, /resolved from https:\/\/evil\.example\/left-pad-1\.2\.3\.tgz, not from the npm registry/],
  ['a dependency without an integrity hash', { version: '1.2.3' }, /no sha512 integrity \(none\)/],
  ['a dependency with only a sha1 hash', { ...GOOD, integrity: 'sha1-abc' }, /no sha512 integrity \(sha1-abc\)/],
  ['a dependency that gained an install script', { ...GOOD, hasInstallScript: true }, /runs an install script/],
  ['a dependency linked to a local directory', { link: true, resolved: '../left-pad' }, /a link to a local directory/],
];
for (const [label, entry, problem] of attacks) {
  test(`attack: ${label} is reported`, () => {
    const problems = lockfileProblems(lockWith(entry));
    assert.ok(problems.some((p) => problem.test(p) && p.startsWith('node_modules/left-pad: ')), JSON.stringify(problems));
  });
}

test('development dependencies are not held to the production rules', () => {
  assert.deepEqual(lockfileProblems(lockWith({ dev: true, version: 'git+https://example.com/x.git' })), []);
});

test('an old lockfile without a packages section is refused', () => {
  assert.deepEqual(lockfileProblems({ lockfileVersion: 1 }), ['package-lock.json: lockfileVersion 2 or 3 with a packages section expected']);
});
