// Runs the helm the chart tests use, building it first when the cache does not have it yet
// (scripts/test-servers.ts: `go install helm.sh/helm/v3/cmd/helm@<version>`, cached by version).
//
//   node scripts/helm.ts lint charts/runbridge
//   node scripts/helm.ts template rb charts/runbridge --set replicaCount=2
//   node scripts/helm.ts            builds it and prints its path
import { spawnSync } from 'node:child_process';
import { ensureHelm } from './test-servers.ts';

if (import.meta.main) {
  try {
    const helm = await ensureHelm();
    const args = process.argv.slice(2);
    if (args.length === 0) {
      process.stdout.write(`${helm}\n`);
    } else {
      const run = spawnSync(helm, args, { stdio: 'inherit' });
      process.exitCode = run.status ?? 1;
    }
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
