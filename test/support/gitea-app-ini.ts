// The app.ini of a throwaway Gitea: installed already (no setup page), SQLite in its own folder,
// loopback only, no SSH, no mail, no Actions, nothing fetched from outside, and webhooks allowed
// to reach loopback receivers (Gitea refuses private and loopback targets by default).

export interface GiteaAppIniOptions {
  /** Everything Gitea writes: data, repositories, logs, the SQLite database. */
  readonly workDir: string;
  /** Where options/ and templates/ are (the binary's folder, see scripts/test-servers.ts). */
  readonly staticRootPath: string;
  readonly port: number;
  /** Webhook delivery timeout, seconds (Gitea's DELIVER_TIMEOUT, default 5). */
  readonly deliverTimeoutSeconds: number;
  /** Random secret for cookies and stored secrets. */
  readonly secretKey: string;
  /** Gitea refuses to run as root unless told to; the CI machine runs everything as root. */
  readonly runningAsRoot: boolean;
}

export function giteaAppIni(o: GiteaAppIniOptions): string {
  const url = `http://127.0.0.1:${o.port}/`;
  const sections: Record<string, Record<string, string | number | boolean>> = {
    '': {
      APP_NAME: 'runbridge test forge',
      RUN_MODE: 'prod',
      WORK_PATH: o.workDir,
      ...(o.runningAsRoot ? { I_AM_BEING_UNSAFE_RUNNING_AS_ROOT: true } : {}),
    },
    server: {
      PROTOCOL: 'http',
      HTTP_ADDR: '127.0.0.1',
      HTTP_PORT: o.port,
      ROOT_URL: url,
      LOCAL_ROOT_URL: url,
      DISABLE_SSH: true,
      START_SSH_SERVER: false,
      OFFLINE_MODE: true,
      LFS_START_SERVER: false,
      STATIC_ROOT_PATH: o.staticRootPath,
      APP_DATA_PATH: `${o.workDir}/data`,
      GRACEFUL_HAMMER_TIME: '3s',
    },
    database: { DB_TYPE: 'sqlite3', PATH: `${o.workDir}/data/gitea.db`, SQLITE_JOURNAL_MODE: 'WAL' },
    repository: { ROOT: `${o.workDir}/repositories`, DEFAULT_BRANCH: 'main' },
    security: {
      INSTALL_LOCK: true,
      SECRET_KEY: o.secretKey,
      // Outgoing requests (webhooks among them) may go to loopback: the receivers are on 127.0.0.1.
      ALLOWED_HOST_LIST: 'loopback',
    },
    // PAGING_NUM: how many recent deliveries the hook's page lists (listDeliveries reads it; 10 by default).
    webhook: { SKIP_TLS_VERIFY: true, DELIVER_TIMEOUT: o.deliverTimeoutSeconds, PAGING_NUM: 100 },
    service: { DISABLE_REGISTRATION: true, NO_REPLY_ADDRESS: 'noreply.localhost' },
    mailer: { ENABLED: false },
    session: { PROVIDER: 'memory' },
    cache: { ADAPTER: 'memory' },
    indexer: { ISSUE_INDEXER_TYPE: 'db', REPO_INDEXER_ENABLED: false },
    actions: { ENABLED: false },
    packages: { ENABLED: false },
    'cron.update_checker': { ENABLED: false },
    log: { MODE: 'console', LEVEL: 'Warn', ROOT_PATH: `${o.workDir}/log` },
  };
  return Object.entries(sections)
    .map(([name, keys]) => {
      const lines = Object.entries(keys).map(([key, value]) => `${key} = ${String(value)}`);
      return [...(name === '' ? [] : [`[${name}]`]), ...lines].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}
