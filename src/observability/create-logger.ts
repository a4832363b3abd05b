/**
 * pino JSON logs. Secrets and signatures are redacted by path wherever they could appear; every
 * line about an event carries eventId, source and runConfiguration (see log-keys.ts).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

/** Keys that hold a secret wherever they are (the configuration's secret fields among them). */
const SECRET_KEYS = ['secret', 'secrets', 'token', 'password', 'nkeySeed', 'credentials', 'authorization'];
/** Request headers that carry a secret or a signature. */
const SECRET_HEADERS = ['"x-hub-signature-256"', '"x-hub-signature"', 'authorization', 'cookie', '"x-gitlab-token"'];

/**
 * pino redacts by path and its wildcards match one level: the secret keys are covered at the top
 * level and two levels down (`nats.token`, `config.nats.token`), headers as `headers`, `req.headers`
 * or one level deeper.
 */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  ...SECRET_HEADERS.flatMap((header) => {
    const at = header.startsWith('"') ? `[${header}]` : `.${header}`;
    return [`headers${at}`, `*.headers${at}`, `*.*.headers${at}`];
  }),
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'runbridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
