/**
 * The one NATS connection runbridge shares between the completion source, the publisher and the
 * JetStream KV state store. It reconnects forever; a status loop logs every disconnect and
 * reconnect and keeps the `connected()` flag that /readyz reports.
 *
 * The first connection must succeed: a wrong address or credential fails startup with the
 * servers named (credentials in their URLs redacted), instead of a daemon that is up but never
 * ready. The setup's warnings (no credentials for a remote server, a readable secret file) are
 * logged before connecting.
 */
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node';
import type { NatsConnectionConfig } from '../config/schema.ts';
import { RunbridgeError } from '../errors.ts';
import { redactUrlCredentials } from '../observability/redact-url.ts';
import { natsConnectionOptions } from './connection-options.ts';
import type { ReadFile } from './read-secret.ts';

/** The subset of a pino logger this module uses. */
export interface NatsLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ConnectNatsOptions {
  logger: NatsLogger;
  env?: NodeJS.ProcessEnv;
  readFile?: ReadFile;
  onStatus?: (status: Status) => void;
  /** Base wait between reconnect attempts; 2 s by default (tests use less). */
  reconnectTimeWaitMs?: number;
}

export interface NatsHandle {
  readonly nc: NatsConnection;
  /** False from a disconnect until the next reconnect, and after close. */
  connected(): boolean;
  /** Drains subscriptions and closes; safe to call twice. */
  close(): Promise<void>;
}

export async function connectNats(config: NatsConnectionConfig, options: ConnectNatsOptions): Promise<NatsHandle> {
  const { logger } = options;
  const { options: connectionOptions, warnings } = await natsConnectionOptions(config, {
    ...(options.env !== undefined && { env: options.env }),
    ...(options.readFile !== undefined && { readFile: options.readFile }),
    ...(options.reconnectTimeWaitMs !== undefined && { reconnectTimeWaitMs: options.reconnectTimeWaitMs }),
  });
  for (const warning of warnings) logger.warn({ path: warning.path }, warning.message);
  let nc: NatsConnection;
  try {
    nc = await connect(connectionOptions);
  } catch (error) {
    const message = redactUrlCredentials(`cannot connect to NATS at ${config.servers.join(', ')}: ${(error as Error).message}`);
    // The cause is kept for its code and stack, not its text: nats.js may quote the server URL.
    throw new RunbridgeError('RB_NATS_CONNECT', 503, message, { cause: error });
  }
  let connected = true;
  logger.info({ server: redactUrlCredentials(nc.getServer()), name: config.name }, 'connected to NATS');

  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        logger.warn({ server: redactUrlCredentials(status.server) }, 'disconnected from NATS; reconnecting');
      } else if (status.type === 'reconnect') {
        connected = true;
        logger.info({ server: redactUrlCredentials(status.server) }, 'reconnected to NATS');
      } else if (status.type === 'error') {
        logger.error({ err: status.error }, 'NATS server error');
      } else if (status.type === 'ldm') {
        logger.warn({ server: redactUrlCredentials(status.server) }, 'NATS server entering lame duck mode');
      } else if (status.type === 'slowConsumer') {
        logger.warn({ subject: status.sub.getSubject(), pending: status.pending }, 'NATS slow consumer');
      }
      options.onStatus?.(status);
    }
  })();
  void nc.closed().then((error) => {
    connected = false;
    if (error) logger.error({ err: error }, 'NATS connection closed with an error');
    else logger.info({}, 'NATS connection closed');
  });

  return {
    nc,
    connected: () => connected && !nc.isClosed(),
    close: async () => {
      connected = false;
      if (nc.isClosed()) return;
      if (nc.isDraining()) await nc.closed();
      else await nc.drain();
    },
  };
}
