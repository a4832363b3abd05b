/**
 * pino JSON logs. Secrets and signatures are redacted by path wherever they could appear; every
 * line about an event carries eventId, source and runConfiguration (see log-keys.ts).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export const REDACTED_PATHS = [
  'secret',
  'secrets',
  'token',
  'password',
  'headers["x-hub-signature-256"]',
  'headers["x-hub-signature"]',
  'headers.authorization',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers.authorization',
  '*.secret',
  '*.token',
  '*.password',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'runbridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
