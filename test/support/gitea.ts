// A real Gitea for the forge tests, built once by scripts/test-servers.ts (RUNBRIDGE_GITEA_BIN
// names the binary under `npm test`). It runs on 127.0.0.1 in a temporary folder, installed
// already, with SQLite and a throwaway admin whose API token the helpers in gitea-api.ts use.
//
//   const gitea = await startGitea();
//   const repo = await createRepository(gitea, { name: 'shop' });
//   const hook = await createWebhook(gitea, repo, { url: receiver.url, secret });
//   ...
//   await gitea.stop();
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ensureGitea } from '../../scripts/test-servers.ts';
import { freePort } from './free-port.ts';
import { giteaAppIni } from './gitea-app-ini.ts';
import { serverProcess, type ServerProcess } from './server-process.ts';
import { stopWithStdin } from './stop-with-stdin.ts';

export interface StartGiteaOptions {
  /** The binary to run; RUNBRIDGE_GITEA_BIN, else built and cached by scripts/test-servers.ts. */
  binary?: string;
  /** Webhook delivery timeout in seconds (Gitea's [webhook] DELIVER_TIMEOUT); 5 by default. */
  deliverTimeoutSeconds?: number;
  /** How long to wait for readiness; 60 s by default (the first start migrates a new database). */
  readyTimeoutMs?: number;
  /** Copy the server's log to this process's stderr (also on with RUNBRIDGE_TEST_SERVER_LOGS=1). */
  logs?: boolean;
}

/** The throwaway administrator: password for git over HTTP and the web UI, token for the API. */
export interface GiteaAdmin {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly token: string;
}

export interface GiteaServer extends ServerProcess {
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly workDir: string;
  readonly admin: GiteaAdmin;
}

export async function startGitea(opts: StartGiteaOptions = {}): Promise<GiteaServer> {
  const binary = opts.binary ?? process.env['RUNBRIDGE_GITEA_BIN'] ?? (await ensureGitea());
  if (!existsSync(join(dirname(binary), 'options'))) {
    throw new Error(`no options/ folder beside ${binary}: Gitea built without bindata needs it (scripts/test-servers.ts puts it there)`);
  }
  const workDir = await mkdtemp(join(tmpdir(), 'runbridge-gitea-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(workDir, 'app.ini');
  const cli = async (...args: string[]): Promise<string> => {
    try {
      const { stdout } = await promisify(execFile)(binary, ['--config', config, '--work-path', workDir, ...args], { cwd: workDir, env: giteaEnv(workDir) });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`gitea ${args.slice(0, 3).join(' ')} failed: ${(error as Error).message}\n${stdout}${stderr}`, { cause: error });
    }
  };

  const controls = serverProcess({
    name: 'gitea',
    ...stopWithStdin('gitea', binary, ['--config', config, '--work-path', workDir, 'web']),
    logLines: 200,
    forwardLogs: opts.logs ?? process.env['RUNBRIDGE_TEST_SERVER_LOGS'] === '1',
    readyAt: `${url}/api/healthz`,
    readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
    pollMs: 200,
    probe: async () => {
      const res = await fetch(`${url}/api/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await res.text();
      return res.ok ? true : `HTTP ${res.status}: ${body.trim()}`;
    },
    cleanup: () => rm(workDir, { recursive: true, force: true }),
  });

  try {
    await mkdir(join(workDir, 'data'), { recursive: true });
    await writeFile(
      config,
      giteaAppIni({
        workDir,
        staticRootPath: dirname(binary),
        port,
        deliverTimeoutSeconds: opts.deliverTimeoutSeconds ?? 5,
        secretKey: randomBytes(32).toString('hex'),
        runningAsRoot: process.getuid?.() === 0,
      }),
    );
    await cli('migrate');
    const admin = { username: 'runbridge-admin', password: `pw-${randomBytes(12).toString('hex')}`, email: 'admin@runbridge.test' };
    const userFlags = ['--username', admin.username, '--password', admin.password, '--email', admin.email, '--must-change-password=false'];
    const tokenFlags = ['--access-token', '--access-token-name', 'runbridge-tests', '--access-token-scopes', 'all'];
    const created = await cli('admin', 'user', 'create', '--admin', ...userFlags, ...tokenFlags);
    const token = /Access token was successfully created\.\.\. (\S+)/.exec(created)?.[1];
    if (!token) throw new Error(`gitea admin user create printed no access token:\n${created}`);
    await controls.start();
    return { url, port, workDir, admin: { ...admin, token }, ...controls };
  } catch (error) {
    await controls.stop();
    throw error;
  }
}

/** The environment Gitea and the git hooks it installs run with: nothing from the user's git setup. */
function giteaEnv(workDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: workDir, GITEA_WORK_DIR: workDir, GIT_CONFIG_NOSYSTEM: '1' };
}
