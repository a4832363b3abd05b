/**
 * `npm run audit`: the production dependencies' audit. First `npm audit --omit=dev` against the
 * registry (fails on advisories of high or critical severity). Where the registry refuses audits or
 * cannot be reached, says so plainly and goes on with what can be checked offline: the installed
 * tree matches the lockfile (`npm ls --omit=dev --all`) and the lockfile's supply-chain rules
 * (scripts/lockfile-problems.ts). No advisory database is consulted offline.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lockfileProblems, type Lockfile } from './lockfile-problems.ts';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let failed = false;

const audit = spawnSync(npm, ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', timeout: 120_000 });
const report = parseJson(audit.stdout);
const counts = (report?.['metadata'] as { vulnerabilities?: Record<string, number> } | undefined)?.vulnerabilities;
if (counts) {
  const summary = Object.entries(counts).filter(([level, n]) => level !== 'total' && n > 0).map(([level, n]) => `${n} ${level}`).join(', ');
  console.log(`npm audit (production dependencies): ${summary || 'no known vulnerabilities'}`);
  if ((counts['high'] ?? 0) + (counts['critical'] ?? 0) > 0) failed = true;
} else {
  const reason = typeof report?.['message'] === 'string' ? report['message'] : (audit.stderr.split('\n').find((l) => /error|warn/.test(l)) ?? `exit ${audit.status}`);
  console.log(`npm audit is not available here (${reason.trim()}): running the offline checks only; no advisory database is consulted.`);
}

const tree = spawnSync(npm, ['ls', '--omit=dev', '--all'], { encoding: 'utf8', timeout: 120_000 });
if (tree.status === 0) console.log('installed production tree matches package-lock.json');
else {
  failed = true;
  console.log(`npm ls --omit=dev: the installed tree does not match package-lock.json\n${tree.stderr.trim()}`);
}

const problems = lockfileProblems(JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as Lockfile);
if (problems.length === 0) console.log('package-lock.json: every production package is a registry tarball with a sha512 integrity and no install script');
else {
  failed = true;
  console.log(`package-lock.json:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}
process.exit(failed ? 1 : 0);

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
