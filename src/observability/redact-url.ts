/**
 * Credentials in URLs (`nats://user:password@host`, `https://token@host`) replaced by `***` in any
 * text: an error message, a server list, a log field. Text without a URL with credentials is
 * returned as it is.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@/gi;

export const REDACTED_CREDENTIALS = '***';

export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED_CREDENTIALS}@`);
}
