import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.ts';
import { createLogger } from '../observability/create-logger.ts';
import { logLevelFromEnv, type LogLevel } from '../observability/log-level.ts';
import { ConfigError, RunbridgeError } from '../errors.ts';
import type { Command } from './commands.ts';

/** After shutdown, how long leftovers may keep the event loop alive before the process exits anyway. */
const EXIT_AFTER_SHUTDOWN_MS = 1000;

export const serveCommand: Command = {
  summary: 'run the daemon: webhooks, schedules and completion events in, runs out',
  help: `Usage: runbridge serve --config FILE [--port N] [--internal-port N]

Loads and validates FILE (any problem stops the start, listing every one with its field path),
then serves each configured forge's webhook route, /healthz and /readyz on server.port (the
public listener) and /status, /metrics, the HTTP completion endpoint and the API on
server.internalPort (the internal listener), and starts the configured sources. SIGTERM or SIGINT stops it gracefully: readiness goes false, new deliveries get 503,
in-flight events finish within server.shutdownGraceSeconds (connections still open then are
closed), then it exits 0. A second signal during that stops it at once (exit 1).

Options:
  -c, --config FILE   configuration file (required)
  -p, --port N        public listen port (overrides server.port; 0 picks a free one)
      --internal-port N
                      internal listen port (overrides server.internalPort; 0 picks a free one)
  -h, --help          this help

Environment:
  LOG_LEVEL           overrides log.level (trace, debug, info, warn, error, fatal; any case)
`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, 'internal-port': { type: 'string' } },
      strict: true,
    });
    if (!values.config) {
      io.stderr.write('runbridge serve: --config FILE is required\n');
      return 2;
    }
    const port = portOption(values.port);
    const internalPort = portOption(values['internal-port']);
    if (Number.isNaN(port) || Number.isNaN(internalPort)) {
      io.stderr.write(`runbridge serve: ${Number.isNaN(port) ? `--port must be 0..65535, got ${values.port}` : `--internal-port must be 0..65535, got ${values['internal-port']}`}\n`);
      return 2;
    }
    let envLevel: LogLevel | undefined;
    try {
      envLevel = logLevelFromEnv(io.env['LOG_LEVEL']);
    } catch (error) {
      io.stderr.write(`runbridge serve: ${(error as Error).message}\n`);
      return 2;
    }
    let loaded;
    try {
      loaded = await loadConfig(values.config, { env: io.env });
    } catch (error) {
      if (error instanceof ConfigError) {
        io.stderr.write(`runbridge serve: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
    const logger = createLogger({ level: envLevel ?? loaded.config.log.level });
    for (const w of loaded.warnings) logger.warn({ path: w.path }, w.message);
    // Signals are caught before the daemon starts: one that arrives while it starts (or right
    // after `runbridge is serving`) stops it gracefully once it is up instead of killing it.
    let pending: string | undefined;
    let onSignal: (signal: string) => void = (signal) => {
      pending ??= signal;
    };
    const onTerm = (): void => onSignal('SIGTERM');
    const onInt = (): void => onSignal('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    let daemon;
    try {
      // The daemon's modules load after the configuration is parsed, into memory the parse freed.
      const { startDaemon } = await import('../daemon/start-daemon.ts');
      daemon = await startDaemon(loaded, { logger, env: io.env, ...(port === undefined ? {} : { port }), ...(internalPort === undefined ? {} : { internalPort }) });
    } catch (error) {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      const message = error instanceof RunbridgeError ? error.message : error instanceof Error ? error.message : String(error);
      logger.fatal({ err: error }, `runbridge could not start: ${message}`);
      return 1;
    }
    const running = daemon;
    return new Promise<number>((resolve) => {
      const exit = (code: number): void => {
        // Work given up on at the end of the grace period (a request to an API server that does
        // not answer) must not keep the process alive: exit soon even if something still runs.
        setTimeout(() => process.exit(code), EXIT_AFTER_SHUTDOWN_MS).unref();
        resolve(code);
      };
      let stopping = false;
      onSignal = (signal) => {
        if (stopping) {
          // A second signal (Ctrl-C twice): stop waiting for events in flight.
          logger.warn({ signal }, 'second signal during shutdown: exiting now');
          process.exit(1);
        }
        stopping = true;
        running
          .shutdown(`received ${signal}`)
          .then(() => exit(0))
          .catch((error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            exit(1);
          });
      };
      if (pending !== undefined) onSignal(pending);
    });
  },
};


/** A port given on the command line: undefined when not given, NaN when not 0..65535. */
function portOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : Number.NaN;
}
