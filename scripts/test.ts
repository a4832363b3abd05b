/**
 * `npm test`: everything the tests need, then every test. Builds (once, cached under the user's
 * cache directory) the real nats-server, kube-apiserver and Gitea the integration tests start, type-checks
 * sources and tests, then runs node's test runner over test/**\/*.test.ts.
 *   npm test                      all tests
 *   npm test -- test/render       only files under a path
 */
import { spawnSync } from 'node:child_process';
import { ensureSystemTools } from './system-tools.ts';
import { ensureTestServers } from './test-servers.ts';

const args = process.argv.slice(2);
ensureSystemTools();
const servers = await ensureTestServers();

const typecheck = spawnSync('tsc', ['--noEmit', '-p', '.'], { stdio: 'inherit', shell: false });
if (typecheck.status !== 0) {
  console.error('type check failed');
  process.exit(typecheck.status ?? 1);
}

const patterns = args.length ? args.map((a) => (a.endsWith('.ts') ? a : `${a.replace(/\/$/, '')}/**/*.test.ts`)) : ['test/**/*.test.ts'];
const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...patterns], {
  stdio: 'inherit',
  env: {
    ...process.env,
    RUNBRIDGE_KUBE_APISERVER_BIN: servers.kubeApiServer,
    RUNBRIDGE_NATS_SERVER_BIN: servers.natsServer,
    RUNBRIDGE_BEXPR_REFERENCE_BIN: servers.bexprReference,
    RUNBRIDGE_CRON_REFERENCE_BIN: servers.cronReference,
    RUNBRIDGE_CEL_REFERENCE_BIN: servers.celReference,
    RUNBRIDGE_GITEA_BIN: servers.gitea,
  },
});
process.exit(run.status ?? 1);
