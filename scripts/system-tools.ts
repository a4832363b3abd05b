// The commands some tests run besides the Go-built servers: `git` (the Gitea tests push real
// clones), `openssl` (the NATS TLS test makes its certificates), `mount` (the full-intake-disk test).
// On a machine without them, they are installed from Debian's packages when this runs as root
// with apt-get; otherwise the test command stops and says what to install.
import { spawnSync } from 'node:child_process';

const TOOLS: Readonly<Record<string, string>> = { git: 'git', openssl: 'openssl', mount: 'mount' };

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemTools(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  const missing = Object.keys(TOOLS).filter((command) => !has(command));
  if (missing.length === 0) return;
  const packages = missing.map((command) => TOOLS[command]!);
  if (process.getuid?.() !== 0 || !has('apt-get')) {
    throw new Error(`the tests need ${missing.join(', ')}: install ${packages.join(' ')} (Debian: apt-get install ${packages.join(' ')})`);
  }
  log(`installing ${packages.join(', ')} from Debian's packages for the tests...`);
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${run.status ?? 'signal'})`);
  }
}
