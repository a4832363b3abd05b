import type { IncomingHttpHeaders } from 'node:http';

// Ids and event names as forges send them; these bounds keep anything else out of logs and keys.
const TOKEN = /^[A-Za-z0-9{}][A-Za-z0-9 ._:{}-]{0,127}$/;

/** A header's value when it is one short token (an id, an event name such as `Push Hook` or `repo:push`). */
export function headerToken(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && TOKEN.test(value) ? value : undefined;
}
