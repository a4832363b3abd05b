/**
 * pino JSON logs. Secrets and signatures are redacted by path wherever they could appear; every
 * line about an event carries eventId, source and runConfiguration (see log-keys.ts).
 */
import { pino, type Logger, type DestinationStream } from 'pino';
import { isoClock } from '../events/iso-clock.ts';
import { createRedactor } from './redact-secrets.ts';

/** Keys that hold a secret wherever they are (the configuration's secret fields among them). */
const SECRET_KEYS = ['secret', 'secrets', 'token', 'password', 'nkeySeed', 'credentials', 'authorization'];
/** Request headers that carry a secret or a signature. */
const SECRET_HEADERS = ['x-hub-signature-256', 'x-hub-signature', 'authorization', 'cookie', 'x-gitlab-token'];

/**
 * Redaction by key (redact-secrets.ts): the secret keys at the top level and two levels down
 * (`nats.token`, `config.nats.token`), the secret headers in `headers`, `req.headers` or one level
 * deeper; in the merged object, in objects interpolated into the message and in child bindings.
 * Not pino's `redact` option: its wildcard paths copy every value of every line, which cost more
 * than the rest of a delivery's logging; this allocates only for a line that holds a secret.
 */
const CENSOR = '[redacted]';

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  const now = isoClock(() => new Date());
  const redact = createRedactor({ keys: SECRET_KEYS, headers: SECRET_HEADERS, censor: CENSOR });
  const logger = pino(
    {
      level: options.level,
      base: { service: 'runbridge' },
      // pino's isoTime, with the text made once per millisecond (isoClock): the same `time` field.
      timestamp: () => `,"time":"${now()}"`,
      hooks: {
        // Every argument of a log call: the merged object and any object interpolated into msg.
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) args[i] = redact(args[i]);
          method.apply(this, args);
        },
      },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
  // A child's bindings are written once, when it is made; children inherit this `child` too.
  const child = logger.child;
  logger.child = function (this: Logger, ...args: Parameters<typeof child>) {
    args[0] = redact(args[0]);
    return Reflect.apply(child, this, args) as ReturnType<typeof child>;
  } as typeof child;
  return logger;
}
