/**
 * A child logger made only when a line is written: most completions log nothing of their own, and
 * making a pino child (its bindings serialized and redacted) for each would cost more than the
 * lines it never writes.
 */
import type { Logger } from 'pino';

export interface LineLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export function lazyChildLogger(parent: Logger, bindings: () => Record<string, unknown>): LineLogger {
  let child: Logger | undefined;
  const logger = (): Logger => (child ??= parent.child(bindings()));
  return {
    info: (fields, message) => logger().info(fields, message),
    warn: (fields, message) => logger().warn(fields, message),
    error: (fields, message) => logger().error(fields, message),
  };
}
