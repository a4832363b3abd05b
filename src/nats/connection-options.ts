/**
 * Turns the `nats` section of the configuration into options for `@nats-io/transport-node`:
 * secrets and files read now (so a typo fails startup, not the first reconnect), authentication
 * checked for one method, and reconnection set to go on forever with jitter, so that replicas
 * do not all come back at the same instant after a NATS restart. Requests (every JetStream KV
 * operation and ack confirmation) skip the stack nats.js would otherwise capture for each one in
 * case it fails (`noAsyncTraces`): at thousands of requests a second that capture is a measurable
 * share of the CPU, and a failed request's error still says what failed.
 *
 * What is not fatal comes back as warnings, logged at start: a secret file readable by every user,
 * and a server that is not on this machine reached without any credentials (NATS is where
 * completions come from and, with `state.type: nats`, where runbridge keeps what it has done).
 */
import { credsAuthenticator, nkeyAuthenticator, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { NatsConnectionConfig } from '../config/schema.ts';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import type { OpenSecretFile } from '../secrets/read-secret-file.ts';
import { serverAddress } from './loopback-server.ts';
import { readConfiguredFile, readSecret, type ReadFile } from './read-secret.ts';

export interface ConnectionOptionsInput {
  env?: NodeJS.ProcessEnv;
  readFile?: ReadFile;
  /** How secret files are opened (default: the file system). */
  openSecretFile?: OpenSecretFile;
  /** Base wait between reconnect attempts; 2 s by default. Jitter of up to half of it is added. */
  reconnectTimeWaitMs?: number;
}

export interface NatsConnectionSetup {
  readonly options: NodeConnectionOptions;
  readonly warnings: readonly ConfigIssue[];
}

export async function natsConnectionOptions(config: NatsConnectionConfig, input: ConnectionOptionsInput = {}): Promise<NatsConnectionSetup> {
  checkOneAuthMethod(config);
  const env = input.env ?? process.env;
  const warnings: ConfigIssue[] = [];
  const secret = (path: string, source: Parameters<typeof readSecret>[0]): string => {
    const resolved = readSecret(source, { env, path, ...(input.openSecretFile !== undefined && { openFile: input.openSecretFile }) });
    warnings.push(...resolved.warnings);
    return resolved.value;
  };
  const file = async (path: string, name: string): Promise<string> =>
    Buffer.from(await readConfiguredFile(name, path, input.readFile)).toString('utf8');
  const wait = input.reconnectTimeWaitMs ?? 2_000;

  const options: NodeConnectionOptions = {
    servers: config.servers,
    name: config.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: wait,
    reconnectJitter: Math.round(wait / 2),
    reconnectJitterTLS: wait,
    noAsyncTraces: true,
  };
  if (config.token) options.token = secret('nats.token', config.token);
  if (config.user !== undefined) options.user = config.user;
  if (config.password) options.pass = secret('nats.password', config.password);
  if (config.credentialsFile !== undefined) {
    const creds = await readConfiguredFile(config.credentialsFile, 'nats.credentialsFile', input.readFile);
    options.authenticator = credsAuthenticator(creds);
  }
  if (config.nkeySeed) {
    const seed = secret('nats.nkeySeed', config.nkeySeed);
    options.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (config.tls) {
    const { caFile, certFile, keyFile } = config.tls;
    options.tls = {
      ...(caFile !== undefined && { ca: await file('nats.tls.caFile', caFile) }),
      ...(certFile !== undefined && { cert: await file('nats.tls.certFile', certFile) }),
      ...(keyFile !== undefined && { key: await file('nats.tls.keyFile', keyFile) }),
    };
  }
  const unprotected = withoutCredentials(config);
  if (unprotected.length > 0) {
    warnings.push({
      path: 'nats',
      message:
        `connecting to NATS at ${unprotected.join(', ')} without any credentials: anyone who can reach it can ` +
        'publish completions and rewrite runbridge\'s state; configure user/password, token, nkeySeed, credentialsFile or a TLS client certificate, ' +
        'and protect the completion subject and the KV bucket with NATS permissions (docs/security.md)',
    });
  }
  return { options, warnings };
}

/** The servers that are not on this machine, when no credential of any kind is configured. */
function withoutCredentials(config: NatsConnectionConfig): string[] {
  const configured =
    config.token !== undefined ||
    config.user !== undefined ||
    config.credentialsFile !== undefined ||
    config.nkeySeed !== undefined ||
    config.tls?.certFile !== undefined;
  if (configured) return [];
  return config.servers.filter((server) => !serverAddress(server).loopback);
}

function checkOneAuthMethod(config: NatsConnectionConfig): void {
  const issues: ConfigIssue[] = [];
  const methods = [
    config.token && 'token',
    (config.user !== undefined || config.password) && 'user/password',
    config.credentialsFile !== undefined && 'credentialsFile',
    config.nkeySeed && 'nkeySeed',
  ].filter((m): m is string => typeof m === 'string');
  if (methods.length > 1) issues.push({ path: 'nats', message: `use one authentication method, not ${methods.join(' and ')}` });
  if (config.password && config.user === undefined) issues.push({ path: 'nats.user', message: 'password is set but user is not' });
  if (config.tls && (config.tls.certFile === undefined) !== (config.tls.keyFile === undefined)) {
    issues.push({ path: 'nats.tls', message: 'certFile and keyFile go together' });
  }
  config.servers.forEach((server, index) => {
    // nats.js does not authenticate with a URL's user and password; they would only be printed.
    if (serverAddress(server).credentials) {
      issues.push({ path: `nats.servers[${index}]`, message: 'credentials in the URL are not used by the NATS client; use nats.user and nats.password, or nats.token' });
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
}
