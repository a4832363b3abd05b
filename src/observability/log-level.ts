/** The log levels runbridge accepts (config `log.level`, env `LOG_LEVEL`), lowest first. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The level `LOG_LEVEL` asks for, case-insensitively (`DEBUG` works); `undefined` when it is unset
 * or empty. Throws a RangeError naming the accepted levels for anything else, so that a typo stops
 * the start with a message instead of a stack trace.
 */
export function logLevelFromEnv(value: string | undefined): LogLevel | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const level = value.trim().toLowerCase();
  const known = LOG_LEVELS.find((l) => l === level);
  if (!known) throw new RangeError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(value)}`);
  return known;
}
